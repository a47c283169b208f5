namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// The Wilson score interval for a proportion (Wilson 1927), as statsmodels' <c>proportion_confint(method="wilson")</c>:
/// unlike the normal approximation it stays inside [0, 1] and behaves at 0 and n successes.
/// </summary>
public static class WilsonInterval
{
    /// <summary>The 0.975 quantile of the standard normal distribution (scipy.stats.norm.ppf(0.975)).</summary>
    public const double Z95 = 1.959963984540054;

    public static (double Lower, double Upper) Of(long successes, long trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
