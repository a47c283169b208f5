using ControlPlane.Domain.Datasets.Reading;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// Profiles a CSV file during its validating scan, before any column's type is known, so an upload reads the file once.
/// Every column's cells go, as the numbers the type tally reads them as, batch by batch as <see cref="DatasetProfiler"/>
/// reads them, to a <see cref="NumericAccumulator"/> (a column that is not numerical only adds NaNs, which cost little);
/// categorical and boolean columns are profiled from the tally's value counts. Text and date/time columns get no
/// profile here, nor does any column once the held values outgrow the budget (a sample would depend on what other
/// columns held); <see cref="DatasetProfiler"/> reads the file for those. A full batch is added on another core while
/// the scan fills the next one.
/// </summary>
internal sealed class ScanProfiler
{
    private readonly ProfileOptions _options;
    private readonly NumericAccumulator[] _numbers;
    private TabularBatch _filling;
    private TabularBatch _spare;
    private Task _adding = Task.CompletedTask;

    public ScanProfiler(IReadOnlyList<string> names, ProfileOptions options)
    {
        options.Validate();
        _options = options;
        var budget = new HeldValuesBudget(options.MaxHeldValues);
        _numbers = [.. names.Select((name, i) =>
            new NumericAccumulator(new ProfileColumn(i, name, ColumnType.Numerical), new HeldValues(budget, options.SampleSize, seed: i)))];
        ColumnRequest[] requests = [.. names.Select((_, i) => new ColumnRequest(i, ColumnReadAs.Number))];
        _filling = new TabularBatch(requests, options.BatchSize);
        _spare = new TabularBatch(requests, options.BatchSize);
    }

    /// <summary>Tallies one data row (the scan's work) and keeps its numbers.</summary>
    public void Observe(SepReader.Row row, ColumnTypeTally[] tallies)
    {
        var index = _filling.Count++;
        var invalid = _filling.InvalidCounts;
        for (var i = 0; i < tallies.Length; i++)
            _filling.Numbers(i)[index] = tallies[i].Observe(row[i], ref invalid[i]);
        if (_filling.Count == _filling.Capacity)
            Flush();
    }

    /// <summary>The profile of each column under its inferred type, or null where the file must be read again.</summary>
    public ColumnProfile?[] Finish(ColumnTypeTally[] tallies, IReadOnlyList<ScannedColumn> columns)
    {
        Flush();
        _adding.GetAwaiter().GetResult();
        var exact = !_numbers.Any(n => n.NeedsHistogramPass);
        var profiles = new ColumnProfile?[columns.Count];
        Parallel.For(0, profiles.Length, i => profiles[i] = Profile(columns[i], tallies[i], exact));
        return profiles;
    }

    private ColumnProfile? Profile(ScannedColumn column, ColumnTypeTally tally, bool exact) => column.InferredType switch
    {
        ColumnType.Numerical when exact => _numbers[column.Ordinal].ToProfile(),
        ColumnType.Categorical or ColumnType.Boolean when tally.Counts is { } counts && counts.Count <= _options.MaxDistinct =>
            CategoryAccumulator.Summarize(new ProfileColumn(column.Ordinal, column.Name, column.InferredType),
                tally.PresentCount, tally.MissingCount, counts, capped: false, _options.TopCategories),
        _ => null,
    };

    private void Flush()
    {
        _adding.GetAwaiter().GetResult();
        if (_filling.Count == 0)
            return;
        var full = _filling;
        (_filling, _spare) = (_spare, full);
        _filling.Reset(0);
        _adding = Task.Run(() =>
        {
            for (var i = 0; i < _numbers.Length; i++)
                _numbers[i].Add(full, i);
        });
    }
}
