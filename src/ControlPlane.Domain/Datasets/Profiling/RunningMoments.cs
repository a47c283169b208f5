namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// Count, min, max, mean and sample variance, batch by batch, accurate for values far from zero (1e9 + small noise).
/// There the sum-of-squares formula cancels catastrophically and a per-value Welford update drifts (each tiny step
/// rounds to the ulp of a large mean). So the mean is a compensated (Neumaier) sum of the values, and the variance is
/// a two-pass within each batch, merged across batches with Chan et al.'s formula, all on values shifted by the
/// column's first value so the batch means stay small and their differences exact.
/// </summary>
internal sealed class RunningMoments
{
    private double _shift;
    private double _sum;
    private double _compensation;
    private double _shiftedMean;
    private double _m2;

    public long Count { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public double Mean => (_sum + _compensation) / Count;

    /// <summary>Sample standard deviation (n − 1); null below two values.</summary>
    public double? Std => Count > 1 ? Math.Sqrt(_m2 / (Count - 1)) : null;

    public void Add(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
            return;
        if (Count == 0)
            _shift = values[0];

        double shiftedSum = 0;
        foreach (var x in values)
        {
            AddCompensated(x);
            shiftedSum += x - _shift;
            if (x < Min)
                Min = x;
            if (x > Max)
                Max = x;
        }
        var batchMean = shiftedSum / values.Length;
        double batchM2 = 0;
        foreach (var x in values)
        {
            var d = x - _shift - batchMean;
            batchM2 += d * d;
        }

        var before = Count;
        Count += values.Length;
        var delta = batchMean - _shiftedMean;
        _shiftedMean += delta * values.Length / Count;
        _m2 += batchM2 + delta * delta * ((double)before / Count * values.Length);
    }

    private void AddCompensated(double x)
    {
        var t = _sum + x;
        _compensation += Math.Abs(_sum) >= Math.Abs(x) ? _sum - t + x : x - t + _sum;
        _sum = t;
    }
}
