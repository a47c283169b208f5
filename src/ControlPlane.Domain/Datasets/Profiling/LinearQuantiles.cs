namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// Quantiles as numpy's default method ("linear", Hyndman &amp; Fan 7): h = (n − 1)p, interpolated between the
/// order statistics floor(h) and floor(h) + 1, with numpy's two-sided lerp so the results match it to the bit.
/// </summary>
internal static class LinearQuantiles
{
    public static IReadOnlyList<double> Probabilities { get; } = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    /// <param name="values">At least one finite value, in one or more parts; may be reordered.</param>
    public static QuantileValue[] Compute(IReadOnlyList<Memory<double>> values, IReadOnlyList<double> probabilities)
    {
        var n = checked((int)values.Sum(part => (long)part.Length));
        var below = new int[probabilities.Count];
        var above = new int[probabilities.Count];
        var ranks = new SortedSet<int>();
        for (var i = 0; i < probabilities.Count; i++)
        {
            var h = (n - 1) * probabilities[i];
            below[i] = h >= n - 1 ? n - 1 : (int)Math.Floor(h);
            above[i] = Math.Min(below[i] + 1, n - 1);
            ranks.Add(below[i]);
            ranks.Add(above[i]);
        }
        var wanted = ranks.ToArray();
        var ordered = OrderStatistics.ValuesAt(values, wanted);
        double At(int rank) => ordered[Array.BinarySearch(wanted, rank)];

        var result = new QuantileValue[probabilities.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var t = (n - 1) * probabilities[i] - below[i];
            result[i] = new QuantileValue(probabilities[i], Lerp(At(below[i]), At(above[i]), t));
        }
        return result;
    }

    private static double Lerp(double a, double b, double t)
    {
        var difference = b - a;
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }
}
