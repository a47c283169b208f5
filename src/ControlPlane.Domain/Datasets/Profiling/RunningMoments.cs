using System.Numerics;

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

        var (shiftedSum, min, max) = SumAndExtremes(values);
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
        var batchMean = shiftedSum / values.Length;
        var batchM2 = SquaredDeviations(values, _shift, batchMean);

        var before = Count;
        Count += values.Length;
        var delta = batchMean - _shiftedMean;
        _shiftedMean += delta * values.Length / Count;
        _m2 += batchM2 + delta * delta * ((double)before / Count * values.Length);
    }

    /// <summary>
    /// One pass, a vector's width of values at a time: the compensated sum (a Neumaier sum per lane, the lanes then
    /// added the same way), the sum of the shifted values, min and max.
    /// </summary>
    private (double ShiftedSum, double Min, double Max) SumAndExtremes(ReadOnlySpan<double> values)
    {
        var lanes = Vector<double>.Count;
        var i = 0;
        double shiftedSum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        if (values.Length >= 2 * lanes)
        {
            var shift = new Vector<double>(_shift);
            Vector<double> sum = Vector<double>.Zero, compensation = Vector<double>.Zero, shifted = Vector<double>.Zero;
            Vector<double> low = new(double.PositiveInfinity), high = new(double.NegativeInfinity);
            for (; i <= values.Length - lanes; i += lanes)
            {
                var x = new Vector<double>(values[i..]);
                var t = sum + x;
                compensation += Vector.ConditionalSelect(
                    Vector.GreaterThanOrEqual(Vector.Abs(sum), Vector.Abs(x)), sum - t + x, x - t + sum);
                sum = t;
                shifted += x - shift;
                low = Vector.Min(low, x);
                high = Vector.Max(high, x);
            }
            for (var lane = 0; lane < lanes; lane++)
            {
                AddCompensated(sum[lane]);
                _compensation += compensation[lane];
                shiftedSum += shifted[lane];
                min = Math.Min(min, low[lane]);
                max = Math.Max(max, high[lane]);
            }
        }
        for (; i < values.Length; i++)
        {
            var x = values[i];
            AddCompensated(x);
            shiftedSum += x - _shift;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }
        return (shiftedSum, min, max);
    }

    /// <summary>Σ ((x − shift) − mean)², a vector's width at a time.</summary>
    private static double SquaredDeviations(ReadOnlySpan<double> values, double shift, double mean)
    {
        var lanes = Vector<double>.Count;
        var i = 0;
        double total = 0;
        if (values.Length >= 2 * lanes)
        {
            Vector<double> by = new(shift), m = new(mean), squares = Vector<double>.Zero;
            for (; i <= values.Length - lanes; i += lanes)
            {
                var d = new Vector<double>(values[i..]) - by - m;
                squares += d * d;
            }
            total = Vector.Sum(squares);
        }
        for (; i < values.Length; i++)
        {
            var d = values[i] - shift - mean;
            total += d * d;
        }
        return total;
    }

    private void AddCompensated(double x)
    {
        var t = _sum + x;
        _compensation += Math.Abs(_sum) >= Math.Abs(x) ? _sum - t + x : x - t + _sum;
        _sum = t;
    }
}
