namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Jensen–Shannon distance in base 2 (so in [0, 1]), as scipy.spatial.distance.jensenshannon(p, q, base=2):
/// √((KL(p‖m) + KL(q‖m)) / 2 / ln 2) with m = (p + q)/2, over the bin shares without any floor.
/// </summary>
internal static class JensenShannon
{
    public static double Compute(Binned bins)
    {
        var left = new double[bins.Count];
        var right = new double[bins.Count];
        for (var k = 0; k < bins.Count; k++)
        {
            var p = (double)bins.Reference[k] / bins.ReferenceTotal;
            var q = (double)bins.Current[k] / bins.CurrentTotal;
            var m = (p + q) / 2.0;
            left[k] = RelativeEntropy(p, m);
            right[k] = RelativeEntropy(q, m);
        }
        var js = NumpySum.Sum(left) + NumpySum.Sum(right);
        js /= Math.Log(2);
        return Math.Sqrt(js / 2.0);
    }

    // scipy.special.rel_entr: x·ln(x/y), 0 when x is 0.
    private static double RelativeEntropy(double x, double y) =>
        x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
}
