namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// scikit-learn's <c>_binary_clf_curve</c>: one entry per distinct score, highest first, counting the negatives
/// (<see cref="FalsePositives"/>) and positives (<see cref="TruePositives"/>) scored at or above it. Tied scores share
/// one entry, which is how ties enter ROC AUC and average precision.
/// </summary>
internal sealed class ThresholdCurve
{
    private ThresholdCurve(long[] falsePositives, long[] truePositives, double[] thresholds)
    {
        FalsePositives = falsePositives;
        TruePositives = truePositives;
        Thresholds = thresholds;
    }

    public long[] FalsePositives { get; }
    public long[] TruePositives { get; }
    public double[] Thresholds { get; }
    public int Length => Thresholds.Length;
    public long Negatives => FalsePositives[^1];
    public long Positives => TruePositives[^1];

    /// <summary>Needs at least one row.</summary>
    public static ThresholdCurve From(ReadOnlySpan<byte> labels, ReadOnlySpan<double> scores)
    {
        var sorted = scores.ToArray();
        var sortedLabels = labels.ToArray();
        Array.Sort(sorted, sortedLabels);

        var distinct = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[i - 1])
                distinct++;
        }
        var falsePositives = new long[distinct];
        var truePositives = new long[distinct];
        var thresholds = new double[distinct];
        long fp = 0, tp = 0;
        var next = 0;
        for (var i = sorted.Length - 1; i >= 0; i--)
        {
            if (sortedLabels[i] == 1)
                tp++;
            else
                fp++;
            if (i > 0 && sorted[i - 1] == sorted[i])
                continue;
            falsePositives[next] = fp;
            truePositives[next] = tp;
            thresholds[next] = sorted[i];
            next++;
        }
        return new ThresholdCurve(falsePositives, truePositives, thresholds);
    }
}
