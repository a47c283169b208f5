using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// A numerical column: count, extremes, mean and std over every value, in one pass; quantiles from the held values (all of them, or a
/// sample past the memory budget). The histogram needs the final min and max, so it is counted from the held values
/// when they are all there, and otherwise in a second pass over the file (<see cref="CountForHistogram"/>).
/// </summary>
internal sealed class NumericAccumulator(ProfileColumn column, HeldValues held) : IColumnAccumulator
{
    public const int HistogramBins = 20;

    private readonly RunningMoments _moments = new();
    private double[] _present = [];
    private long _missing;
    private long _invalid;
    private EqualWidthBins? _bins;
    private long[]? _histogram;
    private long _histogrammed;

    public bool NeedsHistogramPass => held.IsSample;

    public void Add(TabularBatch batch, int index)
    {
        var present = Present(batch, index);
        _missing += batch.Count - present.Length;
        _invalid += batch.InvalidCounts[index];
        _moments.Add(present);
        held.Add(present);
    }

    /// <summary>Second pass: counts every value into bins fixed by the first pass's min and max.</summary>
    public void CountForHistogram(TabularBatch batch, int index)
    {
        _bins ??= new EqualWidthBins(_moments.Min, _moments.Max, HistogramBins);
        _histogram ??= new long[HistogramBins];
        var present = Present(batch, index);
        foreach (var value in present)
            _histogram[_bins.IndexOf(value)]++;
        _histogrammed += present.Length;
    }

    public void EndHistogramPass()
    {
        if (_histogrammed != _moments.Count)
            throw new InvalidOperationException($"Column '{column.Name}' had {_moments.Count} values on the first pass and {_histogrammed} on the histogram pass: the file changed in between.");
    }

    public ColumnProfile ToProfile() =>
        new(column.Name, column.Type, _moments.Count, _missing, _invalid, Summarize(), null, null);

    private NumericProfile? Summarize()
    {
        if (_moments.Count == 0)
            return null;
        var bins = _bins ?? new EqualWidthBins(_moments.Min, _moments.Max, HistogramBins);
        var values = held.Parts;
        var counts = held.IsSample
            ? _histogram ?? throw new InvalidOperationException($"Column '{column.Name}' was sampled but its histogram pass did not run.")
            : bins.CountAll(values);
        var quantiles = LinearQuantiles.Compute(values, LinearQuantiles.Probabilities);
        return new NumericProfile(
            _moments.Min, _moments.Max, _moments.Mean, _moments.Std, quantiles,
            new Histogram(bins.Edges, counts), held.IsSample ? held.Count : null);
    }

    /// <summary>The finite values of the batch, copied (the reader reuses its arrays).</summary>
    private ReadOnlySpan<double> Present(TabularBatch batch, int index)
    {
        if (_present.Length < batch.Count)
            _present = new double[batch.Capacity];
        var n = 0;
        foreach (var value in batch.Numbers(index).AsSpan(0, batch.Count))
        {
            if (double.IsFinite(value))
                _present[n++] = value;
        }
        return _present.AsSpan(0, n);
    }
}
