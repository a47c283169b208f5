namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// One row's term of scikit-learn 1.2's <c>log_loss(eps="auto")</c> for float64 input: probabilities clipped to
/// [eps, 1 − eps], the row divided by its (clipped) sum, minus the log of the true class's share.
/// </summary>
internal static class LogLoss
{
    /// <summary>float64 machine epsilon, <c>np.finfo(np.float64).eps</c>.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    public static double Clip(double probability) => Math.Clamp(probability, Epsilon, 1 - Epsilon);

    /// <summary>A binary score is clipped, then becomes the two columns [1 − p, p], then is renormalised.</summary>
    public static double Binary(byte label, double score)
    {
        var p = Clip(score);
        var negative = 1 - p;
        var sum = negative + p;
        return -Math.Log((label == 1 ? p : negative) / sum);
    }

    /// <summary><paramref name="clippedTrue"/> and <paramref name="clippedRowSum"/> come from <see cref="Clip"/>, summed left to right as numpy sums a row.</summary>
    public static double Row(double clippedTrue, double clippedRowSum) => -Math.Log(clippedTrue / clippedRowSum);
}
