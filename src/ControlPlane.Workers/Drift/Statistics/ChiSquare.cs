using MathNet.Numerics;

namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Pearson's chi-square test of homogeneity on the 2×k table (reference, current) × bins, without continuity
/// correction, as scipy.stats.chi2_contingency(table, correction=False); p from the upper regularized gamma function
/// Q(dof/2, χ²/2), which keeps tiny p-values instead of rounding 1 − CDF to 0.
/// </summary>
internal static class ChiSquare
{
    public static (double Statistic, double PValue) Test(Binned bins)
    {
        var dof = bins.Count - 1;
        // scipy's degenerate case: a single category means observed == expected.
        if (dof == 0)
            return (0.0, 1.0);
        double total = bins.ReferenceTotal + bins.CurrentTotal;
        var terms = new double[2 * bins.Count];
        for (var k = 0; k < bins.Count; k++)
        {
            double column = bins.Reference[k] + bins.Current[k];
            terms[k] = Term(bins.Reference[k], bins.ReferenceTotal * column / total);
            terms[bins.Count + k] = Term(bins.Current[k], bins.CurrentTotal * column / total);
        }
        var statistic = NumpySum.Sum(terms);
        return (statistic, SpecialFunctions.GammaUpperRegularized(dof / 2.0, statistic / 2.0));
    }

    private static double Term(double observed, double expected)
    {
        var difference = observed - expected;
        return difference * difference / expected;
    }
}
