namespace ControlPlane.Workers.Comparison.Statistics;

/// <summary>
/// A test of challenger − champion: the estimated <see cref="Difference"/>, its 95 % confidence interval, the
/// two-sided p-value, and the two one-sided p-values (H1: the true difference is below 0, resp. above 0). Kept apart
/// because an exact discrete test's one-sided p-values do not add up to 1.
/// </summary>
public sealed record DifferenceTest(string Test, double Difference, double Lower, double Upper, double PValue, double PBelow, double PAbove)
{
    public const double Z975 = 1.959963984540054;

    /// <summary>A normal-approximation test of <paramref name="difference"/> with standard error <paramref name="se"/> (Wald interval).</summary>
    internal static DifferenceTest Normal(string test, double difference, double se)
    {
        if (!(se > 0))
        {
            // No spread: the difference is known exactly; it is either nothing or certain.
            var below = difference < 0 ? 0.0 : 1.0;
            var above = difference > 0 ? 0.0 : 1.0;
            return new DifferenceTest(test, difference, difference, difference, difference == 0 ? 1 : 0, below, above);
        }
        var z = difference / se;
        return new DifferenceTest(test, difference, difference - Z975 * se, difference + Z975 * se,
            Math.Min(1, 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(z))),
            MathNet.Numerics.Distributions.Normal.CDF(0, 1, z), MathNet.Numerics.Distributions.Normal.CDF(0, 1, -z));
    }
}
