using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// One validating pass over an uploaded file: every row is read, so a bad row anywhere rejects the file; counts rows
/// and missing cells and infers each column's type (<see cref="ColumnTypeTally"/>). Memory stays bounded: a batch of
/// CSV rows (a few blocks of a big file) or one Parquet row group, plus at most ~1000 distinct values per column.
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
    public static Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits, ProfileOptions? profile, IProgress<double>? progress, CancellationToken ct) =>
        ScanAsync(path, limits, profile, CsvBlockOptions.Default, progress, ct);

    /// <param name="blocks">When and how a big CSV file is scanned on several cores (a scan that profiles reads in order).</param>
    internal static async Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits, ProfileOptions? profile, CsvBlockOptions blocks, IProgress<double>? progress, CancellationToken ct)
    {
        limits ??= ReadLimits.Default;
        var scan = DatasetFormats.Detect(path) == DatasetFormat.Parquet
            ? await ScanParquetAsync(path, limits, profile, progress, ct)
            : await ScanCsvAsync(path, limits, profile, blocks, progress, ct);
        progress?.Report(1);
        return scan;
    }

    private static async Task<DatasetScan> ScanCsvAsync(
        string path, ReadLimits limits, ProfileOptions? options, CsvBlockOptions blocks, IProgress<double>? progress, CancellationToken ct)
    {
        using var rows = await CsvRows.OpenAsync(path, limits, ct);
        var tallies = rows.ColumnNames.Select(_ => new ColumnTypeTally()).ToArray();
        if (options is null && CsvBlockFile.For(rows, blocks) is { } file)
            return await ScanCsvBlocksAsync(file, limits, blocks, tallies, progress, ct);
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
        var columns = Columns(rows.ColumnNames, tallies, null, rowCount);
        return new DatasetScan(DatasetFormat.Csv, rowCount, columns, Delimiter(rows.Delimiter, tallies), rows.HasHeader)
        {
            Profiles = profiler?.Finish(tallies, columns),
        };
    }

    /// <summary>
    /// The scan of a big file on every core: each block tallied on its own, the tallies added in file order (so the
    /// first bad row, and the row past the limit, are the ones a scan in order meets first).
    /// </summary>
    private static async Task<DatasetScan> ScanCsvBlocksAsync(
        CsvBlockFile file, ReadLimits limits, CsvBlockOptions blocks, ColumnTypeTally[] tallies, IProgress<double>? progress, CancellationToken ct)
    {
        using var pipeline = new CsvBlockPipeline<(ColumnTypeTally[] Tallies, CsvRowLines RowLines, Exception? Failure)>(file, blocks, (block, token) =>
        {
            var mine = tallies.Select(whole => new ColumnTypeTally(whole)).ToArray();
            var lines = new CsvRowLines();
            var failure = file.ForEachRow(block, (row, check) =>
            {
                lines.Add(check.Line);
                for (var i = 0; i < mine.Length; i++)
                    mine[i].Observe(row[i]);
            }, strings: false, token);
            return (mine, lines, failure);
        });
        long rowCount = 0;
        while (await pipeline.NextAsync(ct) is (true, var block))
        {
            using var lines = block.RowLines;
            // The row past the limit, when it comes before the block's failure, is the first error of the file.
            if (lines.Count > limits.MaxRows - rowCount)
                throw CsvRowCheck.TooManyRows(lines[(int)(limits.MaxRows - rowCount)], limits.MaxRows);
            if (block.Failure is { } failure)
                await file.ThrowAsync(failure, ct);
            rowCount += lines.Count;
            for (var i = 0; i < tallies.Length; i++)
                tallies[i].Add(block.Tallies[i]);
            progress?.Report(pipeline.Progress);
        }
        var columns = Columns(file.Names, tallies, null, rowCount);
        return new DatasetScan(DatasetFormat.Csv, rowCount, columns, Delimiter(file.Delimiter, tallies), file.HasHeader);
    }

    // With one column no delimiter ever appears; Sep's fallback guess would only mislead.
    private static char? Delimiter(char detected, ColumnTypeTally[] tallies) => tallies.Length > 1 ? detected : null;

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
