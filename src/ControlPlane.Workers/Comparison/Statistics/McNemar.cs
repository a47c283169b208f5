using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace ControlPlane.Workers.Comparison.Statistics;

/// <summary>
/// McNemar's test for two classifiers judged on the same predictions. Only the discordant pairs carry information:
/// <c>b</c> = champion right and challenger wrong, <c>c</c> = champion wrong and challenger right. The difference of
/// accuracies is (c − b)/n with the Wald interval of Agresti (Categorical Data Analysis, 2013, §11.1.1):
/// SE = √(b + c − (c − b)²/n) / n. The p-value is exact (binomial on b + c trials with p = ½) when b + c is below
/// <see cref="ExactBelow"/>, where the chi-square approximation is poor; otherwise the chi-square statistic with
/// continuity correction (|b − c| − 1)² / (b + c) on 1 degree of freedom.
/// </summary>
public static class McNemar
{
    public const int ExactBelow = 25;

    public static DifferenceTest Test(long b, long c, long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        if (n < b + c || n == 0)
            throw new ArgumentOutOfRangeException(nameof(n), "n counts every pair, the discordant ones included.");
        var difference = (double)(c - b) / n;
        var se = Math.Sqrt(Math.Max(0, b + c - (double)(c - b) * (c - b) / n)) / n;
        var m = b + c;
        if (m == 0)
            return new DifferenceTest("McNemar (exact)", 0, 0, 0, 1, 1, 1);
        double p, below, above;
        string name;
        if (m < ExactBelow)
        {
            name = "McNemar (exact)";
            var trials = (int)m;
            // The challenger is worse (difference below 0) when b is large: P(X ≥ b) for X ~ Bin(b + c, ½).
            below = AtLeast(trials, (int)b);
            above = AtLeast(trials, (int)c);
            p = Math.Min(1, 2 * AtLeast(trials, trials - (int)Math.Min(b, c))); // P(X ≤ j) = P(X ≥ n − j) by symmetry
        }
        else
        {
            name = "McNemar (chi-square, continuity-corrected)";
            var statistic = Math.Pow(Math.Max(0, Math.Abs(b - c) - 1), 2) / m;
            p = SpecialFunctions.GammaUpperRegularized(0.5, statistic / 2);
            // One-sided: the continuity-corrected normal approximation of P(X ≥ b) = 1 − Φ((b − c − 1)/√(b + c)).
            below = Normal.CDF(0, 1, -(b - c - 1) / Math.Sqrt(m));
            above = Normal.CDF(0, 1, -(c - b - 1) / Math.Sqrt(m));
        }
        return new DifferenceTest(name, difference, difference - DifferenceTest.Z975 * se, difference + DifferenceTest.Z975 * se, p, below, above);
    }

    /// <summary>P(X ≥ k) for X ~ Bin(n, ½), summed in integers: below 25 trials every count and 2ⁿ are exact doubles.</summary>
    private static double AtLeast(int n, int k)
    {
        long count = 0, choose = 1; // C(n, 0)
        for (var i = 0; i <= n; i++)
        {
            if (i >= k)
                count += choose;
            choose = choose * (n - i) / (i + 1);
        }
        return (double)count / (1L << n);
    }
}
