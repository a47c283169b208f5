namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// The inner bin edges for numerical PSI and Jensen–Shannon: np.unique(np.quantile(reference, [0.1, …, 0.9])) with
/// numpy's default "linear" method (h = (n − 1)q, numpy's two-sided lerp), read straight from the sorted reference.
/// </summary>
internal static class Deciles
{
    private static readonly double[] Probabilities = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <param name="sorted">Ascending, not empty.</param>
    public static double[] Edges(ReadOnlySpan<double> sorted)
    {
        var quantiles = new double[Probabilities.Length];
        for (var k = 0; k < quantiles.Length; k++)
            quantiles[k] = Quantile(sorted, Probabilities[k]);
        Array.Sort(quantiles);
        var edges = new List<double>(quantiles.Length);
        foreach (var edge in quantiles)
            if (edges.Count == 0 || edge != edges[^1])
                edges.Add(edge);
        return [.. edges];
    }

    internal static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var n = sorted.Length;
        var h = (n - 1) * q;
        if (h >= n - 1)
            return sorted[n - 1];
        var below = (int)Math.Floor(h);
        var t = h - below;
        double a = sorted[below], b = sorted[below + 1];
        var difference = b - a;
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }
}
