namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Metrics of a multiclass classifier (see <see cref="MulticlassMetrics"/>). <see cref="ConfusionMatrix"/> has a row
/// per true class and a column per predicted class, in class-index order. Undefined values are null, never NaN.
/// </summary>
public sealed record MulticlassReport(
    long Count,
    double? Accuracy,
    double? MacroF1,
    double? WeightedF1,
    double? LogLoss,
    IReadOnlyList<ClassMetrics> Classes,
    IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix) : IMetricReport
{
    public IReadOnlyDictionary<string, double> Flatten() => FlatMetrics.Of(
        (MetricNames.Accuracy, Accuracy),
        (MetricNames.MacroF1, MacroF1),
        (MetricNames.WeightedF1, WeightedF1),
        (MetricNames.LogLoss, LogLoss));
}
