namespace ControlPlane.Workers.Comparison.Statistics;

/// <summary>
/// Holm's step-down adjustment (Holm 1979, "A simple sequentially rejective multiple test procedure"): with the m
/// p-values sorted ascending, the i-th (from 1) becomes max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where the
/// adjusted value is below α keeps the family-wise error rate at α, whatever the dependence between the tests.
/// </summary>
public static class Holm
{
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
