namespace ControlPlane.Domain.Explainability;

/// <summary>
/// How far a column moved, as one effect size in [0, 1] whatever test decided it, so drift can be multiplied by
/// importance and compared across columns: Kolmogorov–Smirnov's D; Cramér's V = √(χ² / N) for chi-square (two samples
/// make a 2 × k table, so min(r − 1, k − 1) = 1 and N is both sides' values); the Jensen–Shannon distance as reported;
/// and for the unbounded PSI and Wasserstein, the Jensen–Shannon distance (base 2) over the run's own histogram bins.
/// A p-value is never a magnitude: it shrinks with the sample size as much as with the shift.
/// </summary>
public static class DriftMagnitude
{
    public static double? Of(string method, double statistic, long referenceValues, long currentValues, IReadOnlyList<(long Reference, long Current)>? bins) => method switch
    {
        "KolmogorovSmirnov" => statistic,
        "ChiSquare" => referenceValues + currentValues > 0 ? Math.Min(1, Math.Sqrt(statistic / (referenceValues + currentValues))) : null,
        "JensenShannon" => statistic,
        _ => bins is { Count: > 0 } ? JensenShannon(bins) : null,
    };

    /// <summary>√JSD with base-2 logarithms, as scipy.spatial.distance.jensenshannon(p, q, base=2).</summary>
    public static double? JensenShannon(IReadOnlyList<(long Reference, long Current)> bins)
    {
        double totalReference = bins.Sum(b => b.Reference), totalCurrent = bins.Sum(b => b.Current);
        if (totalReference == 0 || totalCurrent == 0)
            return null;
        var divergence = 0.0;
        foreach (var (reference, current) in bins)
        {
            double p = reference / totalReference, q = current / totalCurrent, m = (p + q) / 2;
            if (p > 0)
                divergence += 0.5 * p * Math.Log2(p / m);
            if (q > 0)
                divergence += 0.5 * q * Math.Log2(q / m);
        }
        return Math.Sqrt(Math.Max(0, divergence));
    }
}
