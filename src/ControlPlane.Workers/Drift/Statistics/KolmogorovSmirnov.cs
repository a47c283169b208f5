namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Two-sided two-sample Kolmogorov–Smirnov test as scipy.stats.ks_2samp(method="auto") in scipy 1.10: the exact
/// p-value when neither sample exceeds 10,000 values, else (or when the exact attempt fails) kstwo.sf(D, round(n₁n₂/(n₁+n₂))).
/// </summary>
internal static class KolmogorovSmirnov
{
    public const int MaxExactSize = 10_000;

    public static (double Statistic, double PValue) Test(int n1, int n2, EcdfComparison ecdf)
    {
        var d = ecdf.KsStatistic;
        if (Math.Max(n1, n2) <= MaxExactSize)
        {
            var g = (int)GreatestCommonDivisor(n1, n2);
            var lcm = (long)(n1 / g) * n2;
            // D·lcm is an integer up to rounding; scipy rounds it (half to even) and reports D = h/lcm.
            var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
            d = (double)h / lcm;
            if (h == 0)
                return (d, 1.0);
            if (KolmogorovSmirnovExact.PValue(n1, n2, g, h) is { } exact)
                return (d, exact);
        }
        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        var p = KolmogorovDistribution.Sf((int)Math.Round(en, MidpointRounding.ToEven), d);
        return (d, KolmogorovDistribution.Clip(p));
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
