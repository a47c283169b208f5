using System.Globalization;

namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Finds the reported binned tests that cannot see drift on a column's counts. Chi-square: Cochran's rule on the
/// 2×k table, more than 20% of expected counts below 5 or any below 1 (the p-value's χ² approximation no longer
/// holds). PSI: categories whose share on a side is below <see cref="Psi.ShareFloor"/> hold more than 10% of that
/// side's values (PSI reads each as the floor, so however those values move it adds nothing). Jensen–Shannon has
/// neither limit, so it is the method to read.
/// </summary>
internal static class BlindTests
{
    public const double SmallExpectedCount = 5;
    public const double TinyExpectedCount = 1;
    public const double MaxSmallExpectedShare = 0.2;
    public const double MaxFlooredValueShare = 0.1;

    public static List<DriftTestWarning> Find(Binned bins, IEnumerable<DriftMethod> reported)
    {
        var warnings = new List<DriftTestWarning>();
        foreach (var method in reported.Distinct())
        {
            var message = method switch
            {
                DriftMethod.ChiSquare => ChiSquareBlindness(bins),
                DriftMethod.Psi => PsiBlindness(bins),
                _ => null,
            };
            if (message is not null)
                warnings.Add(new DriftTestWarning(method, DriftMethod.JensenShannon, message));
        }
        return warnings;
    }

    private static string? ChiSquareBlindness(Binned bins)
    {
        // One category is chi-square's degenerate case (p = 1 by definition), not a small-count problem.
        if (bins.Count < 2)
            return null;
        double total = bins.ReferenceTotal + bins.CurrentTotal;
        long small = 0;
        var smallest = double.PositiveInfinity;
        for (var k = 0; k < bins.Count; k++)
        {
            double column = bins.Reference[k] + bins.Current[k];
            foreach (var expected in (double[])[bins.ReferenceTotal * column / total, bins.CurrentTotal * column / total])
            {
                if (expected < SmallExpectedCount)
                    small++;
                smallest = Math.Min(smallest, expected);
            }
        }
        var cells = 2L * bins.Count;
        var share = (double)small / cells;
        if (share <= MaxSmallExpectedShare && smallest >= TinyExpectedCount)
            return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"χ² cannot be trusted here: {share * 100:0.#}% of its {cells:N0} expected counts are below 5 (the smallest is {smallest:G3}); it needs at most 20% below 5 and none below 1. Read Jensen–Shannon instead.");
    }

    private static string? PsiBlindness(Binned bins)
    {
        var reference = FlooredValueShare(bins.Reference, bins.ReferenceTotal);
        var current = FlooredValueShare(bins.Current, bins.CurrentTotal);
        if (Math.Max(reference, current) <= MaxFlooredValueShare)
            return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"PSI cannot be trusted here: categories with a share below its {Psi.ShareFloor} floor hold {reference * 100:0.#}% of the reference and {current * 100:0.#}% of the current values, and PSI counts each as the floor however its values moved; it needs at most 10%. Read Jensen–Shannon instead.");
    }

    /// <summary>The share of a side's values that sit in categories whose share on that side is below the PSI floor.</summary>
    private static double FlooredValueShare(long[] counts, long total)
    {
        if (total == 0)
            return 0;
        long floored = 0;
        foreach (var count in counts)
            if ((double)count / total < Psi.ShareFloor)
                floored += count;
        return (double)floored / total;
    }
}
