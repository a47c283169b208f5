namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Metrics of a binary classifier at one threshold, each defined as in scikit-learn 1.2 (see <see cref="BinaryMetrics"/>).
/// Undefined values are null, never NaN. <see cref="ConfusionMatrix"/> is [[TN, FP], [FN, TP]]. The curves are thinned
/// for charts and are null in slice reports; <see cref="Calibration"/> is null when a score lies outside [0, 1].
/// </summary>
public sealed record BinaryReport(
    long Count,
    long Positives,
    double Threshold,
    double? Accuracy,
    double? Precision,
    double? Recall,
    double? F1,
    double? RocAuc,
    double? PrAuc,
    double? LogLoss,
    double? Brier,
    IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix,
    RocCurve? Roc,
    PrecisionRecallCurve? PrecisionRecall,
    IReadOnlyList<CalibrationBin>? Calibration) : IMetricReport
{
    public IReadOnlyDictionary<string, double> Flatten() => FlatMetrics.Of(
        (MetricNames.Accuracy, Accuracy),
        (MetricNames.Precision, Precision),
        (MetricNames.Recall, Recall),
        (MetricNames.F1, F1),
        (MetricNames.RocAuc, RocAuc),
        (MetricNames.PrAuc, PrAuc),
        (MetricNames.LogLoss, LogLoss),
        (MetricNames.Brier, Brier));
}
