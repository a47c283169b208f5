using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// One validating pass over an uploaded file: every row is read, so a bad row anywhere rejects the file; counts rows
/// and missing cells and infers each column's type (<see cref="ColumnTypeTally"/>). Memory stays bounded: a batch of
/// CSV rows or one Parquet row group, plus at most ~1000 distinct values per column.
/// </summary>
public static class DatasetScanner
{
    private const int ProgressEveryRows = 1 << 16;
    private const int ParquetBatchRows = 4096;

    public static Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits = null, IProgress<double>? progress = null, CancellationToken ct = default) =>
        ScanAsync(path, limits, profile: null, progress, ct);

    /// <param name="profile">
    /// Also profile the columns on the way, within these options (see <see cref="DatasetScan.Profiles"/>), so that
    /// profiling an upload reads the file once.
    /// </param>
    public static async Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits, ProfileOptions? profile, IProgress<double>? progress, CancellationToken ct)
    {
        limits ??= ReadLimits.Default;
        var scan = DatasetFormats.Detect(path) == DatasetFormat.Parquet
            ? await ScanParquetAsync(path, limits, profile, progress, ct)
            : await ScanCsvAsync(path, limits, profile, progress, ct);
        progress?.Report(1);
        return scan;
    }

    private static async Task<DatasetScan> ScanCsvAsync(
        string path, ReadLimits limits, ProfileOptions? options, IProgress<double>? progress, CancellationToken ct)
    {
        using var rows = await CsvRows.OpenAsync(path, limits, ct);
        var tallies = rows.ColumnNames.Select(_ => new ColumnTypeTally()).ToArray();
        var profiler = options is null ? null : new ScanProfiler(rows.ColumnNames, options);
        long rowCount = 0;
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (profiler is not null)
                profiler.Observe(row, tallies);
            else
                for (var i = 0; i < tallies.Length; i++)
                    tallies[i].Observe(row[i]);
            if (++rowCount % ProgressEveryRows == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(rows.Progress);
            }
        }
        // With one column no delimiter ever appears; Sep's fallback guess would only mislead.
        var delimiter = tallies.Length > 1 ? rows.Delimiter : (char?)null;
        var columns = Columns(rows.ColumnNames, tallies, null, rowCount);
        return new DatasetScan(DatasetFormat.Csv, rowCount, columns, delimiter, rows.HasHeader) { Profiles = profiler?.Finish(tallies, columns) };
    }

    private static async Task<DatasetScan> ScanParquetAsync(
        string path, ReadLimits limits, ProfileOptions? profile, IProgress<double>? progress, CancellationToken ct)
    {
        using var reader = await ParquetTabularReader.OpenAsync(path, limits, ct);
        var schemaTypes = reader.SchemaTypes;
        var tallies = schemaTypes.Select(_ => new ColumnTypeTally()).ToArray();
        IReadOnlyList<ColumnProfile>? profiles = null;
        if (profile is null)
            await TallyAsync(reader, schemaTypes, tallies, progress, ct);
        else
            profiles = await TallyWhileProfilingAsync(path, limits, reader, schemaTypes, tallies, profile, progress, ct);
        var rowCount = reader.RowCount ?? 0;
        var columns = Columns(reader.ColumnNames, tallies, schemaTypes, rowCount);
        return new DatasetScan(DatasetFormat.Parquet, rowCount, columns, null, HasHeader: true)
        {
            // String columns were profiled as categories; those found to be text are profiled the same way.
            Profiles = profiles?.Select((p, i) => p with { Type = columns[i].InferredType }).ToArray(),
        };
    }

    private static async Task TallyAsync(
        ParquetTabularReader reader, IReadOnlyList<ColumnType?> schemaTypes, ColumnTypeTally[] tallies, IProgress<double>? progress, CancellationToken ct)
    {
        // Typed columns are read as numbers (dates too: each is then "invalid", which is all a count of nulls needs);
        // strings as text, to count their distinct values.
        var requests = schemaTypes
            .Select((type, i) => new ColumnRequest(i, type is null ? ColumnReadAs.Text : ColumnReadAs.Number))
            .ToArray();
        var batch = new TabularBatch(requests, ParquetBatchRows);
        while (await reader.ReadAsync(batch, ct))
        {
            for (var i = 0; i < requests.Length; i++)
                TallyingReader.Observe(batch, i, tallies[i]);
            progress?.Report(reader.Progress);
        }
    }

    /// <summary>
    /// Profiles every column as the profile job would (the schema gives the types; strings as categories) and tallies
    /// the batches the profiler reads, so an upload reads the file once.
    /// </summary>
    private static async Task<IReadOnlyList<ColumnProfile>> TallyWhileProfilingAsync(
        string path, ReadLimits limits, ParquetTabularReader reader, IReadOnlyList<ColumnType?> schemaTypes, ColumnTypeTally[] tallies,
        ProfileOptions options, IProgress<double>? progress, CancellationToken ct)
    {
        var columns = schemaTypes.Select((type, i) => new ProfileColumn(i, reader.ColumnNames[i], type ?? ColumnType.Categorical)).ToList();
        using var tallying = new TallyingReader(reader, tallies);
        var profile = await DatasetProfiler.ProfileAsync(
            tallying, c => TabularReader.OpenAsync(path, DatasetFormat.Parquet, limits, c), columns, options, progress, ct);
        return profile.Columns;
    }

    private static ScannedColumn[] Columns(
        IReadOnlyList<string> names, ColumnTypeTally[] tallies, IReadOnlyList<ColumnType?>? schemaTypes, long rowCount) =>
        [.. tallies.Select((tally, i) => new ScannedColumn(i, names[i], schemaTypes?[i] ?? tally.Infer(rowCount), tally.MissingCount))];
}
