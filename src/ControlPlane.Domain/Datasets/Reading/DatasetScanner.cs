using ControlPlane.Domain.Datasets.Profiling;
using nietras.SeparatedValues;

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

    // Below this the parallel machinery costs more than the parsing it spreads (as for CsvTabularReader).
    private const long ParallelFromBytes = 4 << 20;

    public static Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits = null, IProgress<double>? progress = null, CancellationToken ct = default) =>
        ScanAsync(path, limits, profile: null, progress, ct);

    /// <param name="profile">
    /// Also profile the columns on the way, within these options (CSV only; see <see cref="DatasetScan.Profiles"/>),
    /// so that profiling an upload reads the file once.
    /// </param>
    public static Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits, ProfileOptions? profile, IProgress<double>? progress, CancellationToken ct) =>
        ScanAsync(path, limits, profile, parallel: null, progress, ct);

    /// <param name="parallel">For CSV, tally on every core or not whatever the file's size (null: big files do).</param>
    internal static async Task<DatasetScan> ScanAsync(
        string path, ReadLimits? limits, ProfileOptions? profile, bool? parallel, IProgress<double>? progress, CancellationToken ct)
    {
        limits ??= ReadLimits.Default;
        var scan = DatasetFormats.Detect(path) == DatasetFormat.Parquet
            ? await ScanParquetAsync(path, limits, progress, ct)
            : await ScanCsvAsync(path, limits, profile,
                parallel ?? (Environment.ProcessorCount > 1 && new FileInfo(path).Length >= ParallelFromBytes), progress, ct);
        progress?.Report(1);
        return scan;
    }

    private static async Task<DatasetScan> ScanCsvAsync(
        string path, ReadLimits limits, ProfileOptions? options, bool parallel, IProgress<double>? progress, CancellationToken ct)
    {
        using var rows = await CsvRows.OpenAsync(path, limits, parallel, ct);
        var profiler = options is null ? null : new ScanProfiler(rows.ColumnNames, options);
        var (tallies, rowCount) = parallel ? TallyInParallel(rows, profiler, progress, ct) : Tally(rows, profiler, progress, ct);
        // With one column no delimiter ever appears; Sep's fallback guess would only mislead.
        var delimiter = tallies.Length > 1 ? rows.Delimiter : (char?)null;
        var columns = Columns(rows.ColumnNames, tallies, null, rowCount);
        return new DatasetScan(DatasetFormat.Csv, rowCount, columns, delimiter, rows.HasHeader) { Profiles = profiler?.Finish(tallies, columns) };
    }

    private static (ColumnTypeTally[] Tallies, long Rows) Tally(CsvRows rows, ScanProfiler? profiler, IProgress<double>? progress, CancellationToken ct)
    {
        var tallies = NewTallies(rows.ColumnNames.Count);
        long rowCount = 0;
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (profiler is not null)
                profiler.Observe(row, tallies);
            else
                for (var i = 0; i < tallies.Length; i++)
                    tallies[i].Observe(row[i]);
            Checkpoint(++rowCount, rows, progress, ct);
        }
        return (tallies, rowCount);
    }

    /// <summary>Each core tallies the rows it parses; the tallies are added up at the end.</summary>
    private static (ColumnTypeTally[] Tallies, long Rows) TallyInParallel(CsvRows rows, ScanProfiler? profiler, IProgress<double>? progress, CancellationToken ct)
    {
        var columns = rows.ColumnNames.Count;
        using var perCore = new ThreadLocal<ColumnTypeTally[]>(() => NewTallies(columns), trackAllValues: true);
        long rowCount = 0;
        foreach (var parsed in rows.ParallelRows(row => Tally(row, perCore.Value!, profiler is not null)))
        {
            profiler?.Add(parsed!);
            Checkpoint(++rowCount, rows, progress, ct);
        }
        var tallies = NewTallies(columns);
        foreach (var part in perCore.Values)
            for (var i = 0; i < columns; i++)
                tallies[i].Add(part[i]);
        return (tallies, rowCount);
    }

    private static ParsedRow? Tally(SepReader.Row row, ColumnTypeTally[] tallies, bool keepNumbers)
    {
        if (keepNumbers)
            return ParsedRow.Tally(row, tallies);
        for (var i = 0; i < tallies.Length; i++)
            tallies[i].Observe(row[i]);
        return null;
    }

    private static void Checkpoint(long rowCount, CsvRows rows, IProgress<double>? progress, CancellationToken ct)
    {
        if (rowCount % ProgressEveryRows != 0)
            return;
        ct.ThrowIfCancellationRequested();
        progress?.Report(rows.Progress);
    }

    private static ColumnTypeTally[] NewTallies(int count) => [.. Enumerable.Range(0, count).Select(_ => new ColumnTypeTally())];

    private static async Task<DatasetScan> ScanParquetAsync(string path, ReadLimits limits, IProgress<double>? progress, CancellationToken ct)
    {
        using var reader = await ParquetTabularReader.OpenAsync(path, limits, ct);
        var schemaTypes = reader.SchemaTypes;
        // Typed columns are read as numbers (dates too: each is then "invalid", which is all a count of nulls needs);
        // strings as text, to count their distinct values.
        var requests = schemaTypes
            .Select((type, i) => new ColumnRequest(i, type is null ? ColumnReadAs.Text : ColumnReadAs.Number))
            .ToArray();
        var tallies = NewTallies(requests.Length);
        var batch = new TabularBatch(requests, ParquetBatchRows);
        while (await reader.ReadAsync(batch, ct))
        {
            for (var i = 0; i < requests.Length; i++)
                Observe(batch, i, tallies[i]);
            progress?.Report(reader.Progress);
        }
        var rowCount = reader.RowCount ?? 0;
        return new DatasetScan(DatasetFormat.Parquet, rowCount, Columns(reader.ColumnNames, tallies, schemaTypes, rowCount), null, HasHeader: true);
    }

    private static void Observe(TabularBatch batch, int index, ColumnTypeTally tally)
    {
        if (batch.Columns[index].As == ColumnReadAs.Text)
        {
            foreach (var value in batch.Texts(index).AsSpan(0, batch.Count))
                tally.ObserveText(value);
            return;
        }
        var nan = 0L;
        foreach (var value in batch.Numbers(index).AsSpan(0, batch.Count))
            if (double.IsNaN(value))
                nan++;
        tally.ObserveMissing(nan - batch.InvalidCounts[index]);
    }

    private static ScannedColumn[] Columns(
        IReadOnlyList<string> names, ColumnTypeTally[] tallies, IReadOnlyList<ColumnType?>? schemaTypes, long rowCount) =>
        [.. tallies.Select((tally, i) => new ScannedColumn(i, names[i], schemaTypes?[i] ?? tally.Infer(rowCount), tally.MissingCount))];
}
