namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Benjamini–Hochberg adjusted p-values, as scipy.stats.false_discovery_control(ps, method='bh') (scipy ≥ 1.11):
/// sort ascending, p₍ᵢ₎·(m/i), running minimum from the largest down, clipped to 1, back in the input order.
/// </summary>
internal static class BenjaminiHochberg
{
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var sorted = new double[m];
        for (var rank = 0; rank < m; rank++)
            sorted[rank] = pValues[order[rank]] * ((double)m / (rank + 1));
        for (var rank = m - 2; rank >= 0; rank--)
            sorted[rank] = Math.Min(sorted[rank], sorted[rank + 1]);
        var adjusted = new double[m];
        for (var rank = 0; rank < m; rank++)
            adjusted[order[rank]] = Math.Clamp(sorted[rank], 0, 1);
        return adjusted;
    }
}
