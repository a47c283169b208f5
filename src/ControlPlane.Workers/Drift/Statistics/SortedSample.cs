namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// One numerical column's present values, sorted once, with what every drift method needs from it computed up front.
/// Immutable, so a monitor can build its reference sample once and share it across runs and threads.
/// NaN is missing; so are ±∞, which no distance or bin edge can use.
/// </summary>
public sealed class SortedSample
{
    private SortedSample(ReadOnlyMemory<double> sorted, int missing)
    {
        Values = sorted;
        MissingCount = missing;
        DistinctCount = CountDistinct(sorted.Span, CategoricalDistinctLimit + 1);
    }

    /// <summary>Numerical columns with at most this many distinct reference values are compared as categories.</summary>
    public const int CategoricalDistinctLimit = 5;

    /// <summary>The present values, ascending.</summary>
    public ReadOnlyMemory<double> Values { get; }

    public int Count => Values.Length;
    public int MissingCount { get; }
    public int TotalCount => Count + MissingCount;
    public double MissingShare => TotalCount == 0 ? 0 : (double)MissingCount / TotalCount;

    // Computed on first use (only Wasserstein needs it, only of the reference); a race computes the same value twice.
    private Tuple<double, double>? _moments;

    public double Mean => (_moments ??= Moments(Values.Span)).Item1;

    /// <summary>Population standard deviation (numpy's default, ddof = 0); NaN when empty.</summary>
    public double StandardDeviation => (_moments ??= Moments(Values.Span)).Item2;

    /// <summary>Distinct present values, counted up to <see cref="CategoricalDistinctLimit"/> + 1.</summary>
    public int DistinctCount { get; }

    public static SortedSample From(ReadOnlySpan<double> values)
    {
        var sorted = RadixSort.SortFinite(values);
        return new SortedSample(sorted, values.Length - sorted.Length);
    }

    /// <summary>Takes the array over: its present values are sorted into its start, so no second copy is held.</summary>
    public static SortedSample FromOwned(double[] values)
    {
        var count = RadixSort.SortFiniteInPlace(values);
        return new SortedSample(values.AsMemory(0, count), values.Length - count);
    }

    // np.mean and np.std(ddof=0): the same summation order (over the sorted values).
    private static Tuple<double, double> Moments(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
            return Tuple.Create(double.NaN, double.NaN);
        var mean = NumpySum.Sum(values) / values.Length;
        Span<double> squares = stackalloc double[NumpySum.BufferSize];
        var total = 0.0;
        for (var start = 0; start < values.Length; start += squares.Length)
        {
            var chunk = values.Slice(start, Math.Min(squares.Length, values.Length - start));
            for (var i = 0; i < chunk.Length; i++)
            {
                var d = chunk[i] - mean;
                squares[i] = d * d;
            }
            total += NumpySum.Pairwise(squares[..chunk.Length]);
        }
        return Tuple.Create(mean, Math.Sqrt(total / values.Length));
    }

    private static int CountDistinct(ReadOnlySpan<double> sorted, int cap)
    {
        var distinct = 0;
        for (var i = 0; i < sorted.Length && distinct < cap; i = SortedSearch.UpperBound(sorted, sorted[i]))
            distinct++;
        return distinct;
    }
}
