namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic Dₙ, as scipy.stats.kstwo.sf(x, n) in
/// scipy 1.10 (scipy/stats/_ksstats.py, <c>_kolmogn</c> with cdf=False): Simard and L'Ecuyer's choice between
/// Ruben–Gambino's closed forms, 2·smirnov, the Durbin matrix, Pomeranz's recursion and the Pelz–Good expansion.
/// </summary>
internal static class KolmogorovDistribution
{
    public static double Sf(int n, double x)
    {
        if (n <= 0 || double.IsNaN(x))
            return double.NaN;
        if (x >= 1.0)
            return 0.0;
        // kstwo's support starts at 0.5/n; rv_continuous.sf answers 1 at or below it.
        if (x <= 0.5 / n)
            return 1.0;
        var t = n * x;
        if (t <= 1.0)
        {
            // Ruben–Gambino: 1/2n <= x <= 1/n.
            if (t <= 0.5)
                return 1.0;
            double cdf;
            if (n <= 140)
            {
                cdf = 1.0;
                var scale = 1.0 / n;
                for (var i = 1; i <= n; i++)
                    cdf *= i * scale * (2 * t - 1);
            }
            else
            {
                cdf = Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
            }
            return Clip(1.0 - cdf);
        }
        if (t >= n - 1)
            return Clip(2 * Math.Pow(1.0 - x, n));
        if (x >= 0.5)
            return Clip(2 * Smirnov.Sf(n, x));

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
                return Clip(1.0 - DurbinMatrix.Cdf(n, x));
            if (nxSquared <= 4)
                return Clip(1.0 - Pomeranz.Cdf(n, x));
            return Clip(2 * Smirnov.Sf(n, x));
        }
        if (nxSquared >= 370.0)
            return 0.0;
        if (nxSquared >= 2.2)
            return Clip(2 * Smirnov.Sf(n, x));
        var cdfProb = n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4
            ? DurbinMatrix.Cdf(n, x)
            : PelzGood.Cdf(n, x);
        return Clip(1.0 - cdfProb);
    }

    internal static double Clip(double p) => p < 0 ? 0 : Math.Min(p, 1);

    // Stirling coefficients B_{2j}/(2j)/(2j-1), j = 8..1.
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>log(n!/nⁿ) by Stirling's series, with n·log(n) removed up front to avoid cancellation.</summary>
    private static double LogFactorialOverPower(int n)
    {
        var rn = 1.0 / n;
        var u = rn / n;
        var poly = 0.0;
        foreach (var c in StirlingCoefficients)
            poly = poly * u + c;
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }
}
