namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Binary classification metrics with scikit-learn 1.2's definitions. Labels are 0/1, scores are the positive class's
/// probability (or any score: only log loss, Brier and calibration need probabilities).
/// <list type="bullet">
/// <item>A row is predicted positive when score ≥ threshold, as <c>(p &gt;= t)</c> in numpy.</item>
/// <item>Precision, recall and F1 are 0 when their denominator is 0 (<c>zero_division=0</c>).</item>
/// <item>ROC AUC is <c>roc_auc_score</c>: null when only one class is present (scikit-learn raises).</item>
/// <item>PR AUC is <c>average_precision_score</c>, the step-wise sum; 0 when there is no positive row, as scikit-learn returns.</item>
/// <item>Log loss is <c>log_loss(labels=[0, 1], eps="auto")</c> on float64, so it is defined for one class too.</item>
/// <item>Brier and calibration are null when a score is outside [0, 1] (scikit-learn raises); log loss clips such scores, as scikit-learn does.</item>
/// </list>
/// </summary>
public static class BinaryMetrics
{
    public const double DefaultThreshold = 0.5;

    public static BinaryReport Compute(ReadOnlySpan<byte> labels, ReadOnlySpan<double> scores, double threshold = DefaultThreshold) =>
        Compute(labels, scores, threshold, includeCurves: true);

    internal static BinaryReport Compute(ReadOnlySpan<byte> labels, ReadOnlySpan<double> scores, double threshold, bool includeCurves)
    {
        Inputs.SameLength(labels.Length, scores.Length, nameof(scores));
        Inputs.BinaryLabels(labels, nameof(labels));
        Inputs.Finite(scores, nameof(scores));
        Inputs.Finite(threshold, nameof(threshold));

        // Row-major [[TN, FP], [FN, TP]]: the cell is 2 × label + predicted.
        var cells = new long[4];
        var logLoss = new CompensatedSum();
        var brier = new CompensatedSum();
        var probabilities = true;
        for (var i = 0; i < labels.Length; i++)
        {
            var (label, score) = (labels[i], scores[i]);
            cells[2 * label + (score >= threshold ? 1 : 0)]++;
            logLoss.Add(LogLoss.Binary(label, score));
            var error = label - score;
            brier.Add(error * error);
            probabilities &= score is >= 0 and <= 1;
        }

        var n = labels.Length;
        var (tn, fp, fn, tp) = (cells[0], cells[1], cells[2], cells[3]);
        long[][] confusion = [[tn, fp], [fn, tp]];
        if (n == 0)
            return new BinaryReport(0, 0, threshold, null, null, null, null, null, null, null, null, confusion, null, null, null);

        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2.0 * precision * recall / (precision + recall);
        var curve = ThresholdCurve.From(labels, scores);
        var roc = RankingMetrics.Roc(curve);
        var pr = RankingMetrics.PrecisionRecall(curve);
        return new BinaryReport(
            n,
            tp + fn,
            threshold,
            Accuracy: (double)(tp + tn) / n,
            precision,
            recall,
            f1,
            RocAuc: roc is null ? null : RankingMetrics.Auc(roc),
            PrAuc: RankingMetrics.AveragePrecision(pr),
            LogLoss: logLoss.Value / n,
            Brier: probabilities ? brier.Value / n : null,
            confusion,
            includeCurves ? roc?.Thin() : null,
            includeCurves ? pr.Thin() : null,
            CalibrationBins.Compute(labels, scores));
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
