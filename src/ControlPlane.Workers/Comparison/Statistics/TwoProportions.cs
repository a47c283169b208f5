namespace ControlPlane.Workers.Comparison.Statistics;

/// <summary>
/// The unpaired test of two proportions (accuracy on a canary's requests against the champion's): the difference
/// p₂ − p₁ with the Wald interval (unpooled SE √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)) and the z-test with the pooled SE
/// √(p̂(1−p̂)(1/n₁ + 1/n₂)), as statsmodels' proportions_ztest does by default.
/// </summary>
public static class TwoProportions
{
    public static DifferenceTest Test(long championRight, long championN, long challengerRight, long challengerN)
    {
        if (championN <= 0 || challengerN <= 0)
            throw new ArgumentOutOfRangeException(nameof(championN), "Both samples need rows.");
        double p1 = (double)championRight / championN, p2 = (double)challengerRight / challengerN;
        var difference = p2 - p1;
        var unpooled = Math.Sqrt(p1 * (1 - p1) / championN + p2 * (1 - p2) / challengerN);
        var pooled = (double)(championRight + challengerRight) / (championN + challengerN);
        var pooledSe = Math.Sqrt(pooled * (1 - pooled) * (1.0 / championN + 1.0 / challengerN));
        var test = DifferenceTest.Normal("Two-proportion z", difference, pooledSe);
        return test with { Lower = difference - DifferenceTest.Z975 * unpooled, Upper = difference + DifferenceTest.Z975 * unpooled };
    }
}
