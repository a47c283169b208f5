using MathNet.Numerics.Distributions;

namespace ControlPlane.Workers.Comparison.Statistics;

/// <summary>
/// Student's paired t-test (the same predictions scored by both: the mean of the row differences challenger −
/// champion) and Welch's unequal-variance t-test (two samples: a canary's requests against the champion's), each with
/// the t interval of its mean difference. Regression is compared on absolute errors: the mean of the differences is
/// the difference of the MAEs.
/// </summary>
public static class TTests
{
    /// <summary>Paired: <paramref name="challenger"/>[i] and <paramref name="champion"/>[i] belong to the same prediction.</summary>
    public static DifferenceTest Paired(ReadOnlySpan<double> champion, ReadOnlySpan<double> challenger)
    {
        if (champion.Length != challenger.Length)
            throw new ArgumentException("Paired samples have the same length.", nameof(challenger));
        var n = champion.Length;
        if (n < 2)
            throw new ArgumentException("A paired t-test needs two pairs or more.", nameof(champion));
        var differences = new double[n];
        for (var i = 0; i < n; i++)
            differences[i] = challenger[i] - champion[i];
        var (mean, variance) = MeanVariance(differences);
        return Student("Paired t", mean, Math.Sqrt(variance / n), n - 1);
    }

    public static DifferenceTest Welch(ReadOnlySpan<double> champion, ReadOnlySpan<double> challenger)
    {
        if (champion.Length < 2 || challenger.Length < 2)
            throw new ArgumentException("Welch's t-test needs two values or more on each side.", nameof(champion));
        var (m1, v1) = MeanVariance(champion);
        var (m2, v2) = MeanVariance(challenger);
        double a = v1 / champion.Length, b = v2 / challenger.Length;
        // Welch–Satterthwaite degrees of freedom.
        var df = (a + b) * (a + b) / (a * a / (champion.Length - 1) + b * b / (challenger.Length - 1));
        return Student("Welch t", m2 - m1, Math.Sqrt(a + b), df);
    }

    private static DifferenceTest Student(string name, double difference, double se, double df)
    {
        if (!(se > 0) || !double.IsFinite(df))
            return DifferenceTest.Normal(name, difference, 0);
        var t = difference / se;
        var half = StudentT.InvCDF(0, 1, df, 0.975) * se;
        return new DifferenceTest(name, difference, difference - half, difference + half,
            Math.Min(1, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t))), StudentT.CDF(0, 1, df, t), StudentT.CDF(0, 1, df, -t));
    }

    private static (double Mean, double Variance) MeanVariance(ReadOnlySpan<double> values)
    {
        var mean = 0.0;
        foreach (var v in values)
            mean += v;
        mean /= values.Length;
        var squares = 0.0;
        foreach (var v in values)
            squares += (v - mean) * (v - mean);
        return (mean, squares / (values.Length - 1));
    }
}
