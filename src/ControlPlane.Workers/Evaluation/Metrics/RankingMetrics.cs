namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// ROC and precision-recall curves and their areas, computed from a <see cref="ThresholdCurve"/> the way
/// scikit-learn 1.2 does, term by term.
/// </summary>
internal static class RankingMetrics
{
    /// <summary><c>roc_curve(drop_intermediate=True)</c>; null when either class is absent (scikit-learn returns NaN rates).</summary>
    public static RocCurve? Roc(ThresholdCurve curve)
    {
        if (curve.Negatives == 0 || curve.Positives == 0)
            return null;
        var kept = CornerIndices(curve);
        var fpr = new double[kept.Count + 1];
        var tpr = new double[kept.Count + 1];
        var thresholds = new double[kept.Count + 1];
        thresholds[0] = curve.Thresholds[kept[0]] + 1;
        for (var k = 0; k < kept.Count; k++)
        {
            fpr[k + 1] = (double)curve.FalsePositives[kept[k]] / curve.Negatives;
            tpr[k + 1] = (double)curve.TruePositives[kept[k]] / curve.Positives;
            thresholds[k + 1] = curve.Thresholds[kept[k]];
        }
        return new RocCurve(fpr, tpr, thresholds);
    }

    /// <summary><c>auc(fpr, tpr)</c>: numpy's trapezoid, each term as <c>dx * (y0 + y1) / 2</c>.</summary>
    public static double Auc(RocCurve roc)
    {
        var sum = new CompensatedSum();
        for (var i = 1; i < roc.FalsePositiveRate.Count; i++)
        {
            var dx = roc.FalsePositiveRate[i] - roc.FalsePositiveRate[i - 1];
            sum.Add(dx * (roc.TruePositiveRate[i] + roc.TruePositiveRate[i - 1]) / 2.0);
        }
        return sum.Value;
    }

    /// <summary><c>precision_recall_curve</c>: with no positive rows recall is 1 at every threshold, as scikit-learn sets it.</summary>
    public static PrecisionRecallCurve PrecisionRecall(ThresholdCurve curve)
    {
        var n = curve.Length;
        var precision = new double[n + 1];
        var recall = new double[n + 1];
        var thresholds = new double[n];
        for (var i = 0; i < n; i++)
        {
            var at = n - 1 - i;
            var tp = curve.TruePositives[at];
            precision[i] = (double)tp / (tp + curve.FalsePositives[at]);
            recall[i] = curve.Positives == 0 ? 1.0 : (double)tp / curve.Positives;
            thresholds[i] = curve.Thresholds[at];
        }
        precision[n] = 1.0;
        recall[n] = 0.0;
        return new PrecisionRecallCurve(precision, recall, thresholds);
    }

    /// <summary>
    /// <c>average_precision_score</c>: the step-wise sum of precision × recall increase, not a trapezoid.
    /// scikit-learn writes it <c>-sum(diff(recall) * precision[:-1])</c>; each term here is the same product.
    /// </summary>
    public static double AveragePrecision(PrecisionRecallCurve pr)
    {
        var sum = new CompensatedSum();
        for (var i = 0; i < pr.Thresholds.Count; i++)
            sum.Add((pr.Recall[i] - pr.Recall[i + 1]) * pr.Precision[i]);
        return sum.Value + 0.0; // never -0.0, which scikit-learn returns when there are no positive rows
    }

    /// <summary>
    /// drop_intermediate: keeps the ends and every point where the fp or tp count changes slope (a non-zero second
    /// difference); collinear points in between do not change the curve or its area.
    /// </summary>
    private static List<int> CornerIndices(ThresholdCurve curve)
    {
        var n = curve.Length;
        var kept = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (n <= 2 || i == 0 || i == n - 1 || Bends(curve.FalsePositives, i) || Bends(curve.TruePositives, i))
                kept.Add(i);
        }
        return kept;
    }

    private static bool Bends(long[] counts, int i) => counts[i + 1] - 2 * counts[i] + counts[i - 1] != 0;
}
