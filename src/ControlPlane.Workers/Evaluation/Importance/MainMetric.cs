using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>
/// The one figure importance is measured on, higher is better: ROC AUC for binary, macro-F1 for multiclass (the
/// evaluation's headline metrics) and RMSE with its sign flipped for regression, so a drop is always a loss.
/// </summary>
public static class MainMetric
{
    public const string NegativeRmse = "-rmse";

    public static string Name(EvaluationTask task) => task switch
    {
        EvaluationTask.Binary => MetricNames.RocAuc,
        EvaluationTask.Multiclass => MetricNames.MacroF1,
        EvaluationTask.Regression => NegativeRmse,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown evaluation task."),
    };

    /// <summary>The main metric from a report's flat metrics; null when it is undefined on these rows (one class present).</summary>
    public static double? Value(EvaluationTask task, IReadOnlyDictionary<string, double> metrics) => task switch
    {
        EvaluationTask.Regression => metrics.TryGetValue(MetricNames.Rmse, out var rmse) ? -rmse : null,
        _ => metrics.TryGetValue(Name(task), out var value) ? value : null,
    };
}
