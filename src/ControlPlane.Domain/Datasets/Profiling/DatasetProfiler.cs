using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// Computes a <see cref="DatasetProfile"/> by streaming a dataset once, in batches, within a fixed memory budget.
/// A second pass is made only for numerical columns whose values outgrew <see cref="ProfileOptions.MaxHeldValues"/>:
/// their quantiles come from a sample, but their histogram counts stay exact and need the final min and max first.
/// </summary>
public static class DatasetProfiler
{
    /// <summary>Profiles data that fits the memory budget; throws <see cref="InvalidOperationException"/> as soon as it does not.</summary>
    public static Task<DatasetProfile> ProfileAsync(
        ITabularReader reader, IReadOnlyList<ProfileColumn> columns, ProfileOptions options, IProgress<double>? progress, CancellationToken ct) =>
        ProfileAsync(reader, reopen: null, columns, options, progress, ct);

    /// <summary>
    /// Profiles <paramref name="columns"/> of <paramref name="reader"/> (which the caller still owns and disposes).
    /// <paramref name="reopen"/> opens the same data again from the start, for the histogram pass over sampled columns;
    /// the profiler disposes what it returns.
    /// </summary>
    public static async Task<DatasetProfile> ProfileAsync(
        ITabularReader reader, Func<CancellationToken, Task<ITabularReader>>? reopen, IReadOnlyList<ProfileColumn> columns, ProfileOptions options,
        IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var budget = new HeldValuesBudget(options.MaxHeldValues);
        var accumulators = columns.Select((column, i) => Create(column, i, options, budget)).ToArray();
        var numeric = accumulators.OfType<NumericAccumulator>().ToArray();
        var tracker = new ProfileProgress(progress);
        var requests = columns
            .Select(c => new ColumnRequest(c.Ordinal, c.Type == ColumnType.Numerical ? ColumnReadAs.Number : ColumnReadAs.Text))
            .ToArray();

        var rows = await ReadAllAsync(reader, requests, options.BatchSize, (batch, read) =>
        {
            for (var i = 0; i < accumulators.Length; i++)
                accumulators[i].Add(batch, i);
            var secondPass = numeric.Any(n => n.NeedsHistogramPass);
            if (secondPass && reopen is null)
                throw new InvalidOperationException(
                    "The numerical values outgrow ProfileOptions.MaxHeldValues; exact histograms then need a second pass, so pass a reopen delegate.");
            tracker.FirstPass(read, secondPass);
        }, ct);

        var sampled = Enumerable.Range(0, columns.Count)
            .Where(i => accumulators[i] is NumericAccumulator { NeedsHistogramPass: true })
            .ToArray();
        if (sampled.Length > 0)
            await CountHistogramsAsync(reopen!, sampled.Select(i => requests[i]).ToArray(), sampled.Select(i => (NumericAccumulator)accumulators[i]).ToArray(), options, tracker, ct);

        var profiles = new ColumnProfile[accumulators.Length];
        Parallel.For(0, accumulators.Length, new ParallelOptions { CancellationToken = ct }, i => profiles[i] = accumulators[i].ToProfile());
        tracker.Done();
        return new DatasetProfile(rows, profiles);
    }

    /// <summary>
    /// Profiles <paramref name="columns"/> starting from what a scan asked to profile gathered
    /// (<see cref="DatasetScan.Profiles"/>): a column it profiled under the type the column has now is taken as it is,
    /// and the file is read (opened with <paramref name="open"/>) only for the others. Should any of those be
    /// numerical, every column is profiled from the file, so that held values and samples are the ones a profile from
    /// the file alone would have.
    /// </summary>
    public static async Task<DatasetProfile> ProfileAsync(
        DatasetScan scan, Func<CancellationToken, Task<ITabularReader>> open, IReadOnlyList<ProfileColumn> columns, ProfileOptions options,
        IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(columns);
        ColumnProfile? Scanned(ProfileColumn c) =>
            scan.Profiles?.ElementAtOrDefault(c.Ordinal) is { } p && p.Type == c.Type && p.Name == c.Name ? p : null;

        var rest = columns.Where(c => Scanned(c) is null).ToList();
        if (rest.Count == 0)
        {
            progress?.Report(1);
            return new DatasetProfile(scan.RowCount, [.. columns.Select(c => Scanned(c)!)]);
        }
        if (rest.Any(c => c.Type == ColumnType.Numerical))
            rest = [.. columns];
        using var reader = await open(ct);
        var read = await ProfileAsync(reader, open, rest, options, progress, ct);
        if (rest.Count == columns.Count)
            return read;
        var profiles = columns.Select(c => Scanned(c) ?? read.Columns[rest.IndexOf(c)]).ToArray();
        return new DatasetProfile(read.RowCount, profiles);
    }

    private static IColumnAccumulator Create(ProfileColumn column, int index, ProfileOptions options, HeldValuesBudget budget) => column.Type switch
    {
        ColumnType.Numerical => new NumericAccumulator(column, new HeldValues(budget, options.SampleSize, seed: index)),
        ColumnType.DateTime => new DateAccumulator(column),
        _ => new CategoryAccumulator(column, options.MaxDistinct, options.TopCategories),
    };

    private static async Task CountHistogramsAsync(
        Func<CancellationToken, Task<ITabularReader>> reopen, ColumnRequest[] requests, NumericAccumulator[] columns, ProfileOptions options, ProfileProgress tracker, CancellationToken ct)
    {
        using var again = await reopen(ct);
        await ReadAllAsync(again, requests, options.BatchSize, (batch, read) =>
        {
            for (var i = 0; i < columns.Length; i++)
                columns[i].CountForHistogram(batch, i);
            tracker.SecondPass(read);
        }, ct);
        foreach (var column in columns)
            column.EndHistogramPass();
    }

    /// <summary>
    /// Hands every batch, with the reader's progress once it was read, to <paramref name="add"/>: in batch order, one at
    /// a time, but on another core while the next batch is read into a second one (parsing and statistics overlap).
    /// </summary>
    private static async Task<long> ReadAllAsync(
        ITabularReader reader, ColumnRequest[] requests, int batchSize, Action<TabularBatch, double> add, CancellationToken ct)
    {
        TabularBatch[] batches = [new(requests, batchSize), new(requests, batchSize)];
        var adding = Task.CompletedTask;
        long rows = 0;
        for (var turn = 0; await reader.ReadAsync(batches[turn], ct); turn ^= 1)
        {
            ct.ThrowIfCancellationRequested();
            var (batch, read) = (batches[turn], reader.Progress);
            await adding;
            adding = Task.Run(() => add(batch, read), ct);
            rows += batch.Count;
        }
        await adding;
        return rows;
    }
}
