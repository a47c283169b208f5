using ControlPlane.Domain.Training;
using Microsoft.ML;

namespace ControlPlane.Workers.Training;

/// <summary>
/// Validation figures from ML.NET's evaluators, under the names evaluations use (accuracy, rocAuc, rmse…).
/// Undefined figures (NaN, e.g. the AUC of a part with one class) are left out rather than stored as NaN.
/// </summary>
internal static class TrainingMetrics
{
    public static Dictionary<string, double> Compute(MLContext ml, IDataView scored, TrainingTask task, string label)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (task)
        {
            case TrainingTask.Binary when scored.Schema.GetColumnOrNull("Probability") is not null:
                var calibrated = ml.BinaryClassification.Evaluate(scored, label);
                Add(metrics, "logLoss", calibrated.LogLoss);
                AddBinary(metrics, calibrated);
                break;
            case TrainingTask.Binary:
                AddBinary(metrics, ml.BinaryClassification.EvaluateNonCalibrated(scored, label));
                break;
            case TrainingTask.Multiclass:
                var multi = ml.MulticlassClassification.Evaluate(scored, label);
                Add(metrics, "accuracy", multi.MicroAccuracy);
                Add(metrics, "macroAccuracy", multi.MacroAccuracy);
                Add(metrics, "logLoss", multi.LogLoss);
                Add(metrics, "logLossReduction", multi.LogLossReduction);
                break;
            default:
                var regression = ml.Regression.Evaluate(scored, label);
                Add(metrics, "rmse", regression.RootMeanSquaredError);
                Add(metrics, "mae", regression.MeanAbsoluteError);
                Add(metrics, "mse", regression.MeanSquaredError);
                Add(metrics, "r2", regression.RSquared);
                break;
        }
        return metrics;
    }

    /// <summary>The mean over folds of each figure every fold has.</summary>
    public static Dictionary<string, double> Mean(IReadOnlyList<Dictionary<string, double>> folds) =>
        folds[0].Keys.Where(k => folds.All(f => f.ContainsKey(k))).ToDictionary(k => k, k => folds.Average(f => f[k]), StringComparer.Ordinal);

    private static void AddBinary(Dictionary<string, double> metrics, Microsoft.ML.Data.BinaryClassificationMetrics m)
    {
        Add(metrics, "accuracy", m.Accuracy);
        Add(metrics, "rocAuc", m.AreaUnderRocCurve);
        Add(metrics, "prAuc", m.AreaUnderPrecisionRecallCurve);
        Add(metrics, "f1", m.F1Score);
        Add(metrics, "precision", m.PositivePrecision);
        Add(metrics, "recall", m.PositiveRecall);
    }

    private static void Add(Dictionary<string, double> metrics, string name, double value)
    {
        if (double.IsFinite(value))
            metrics[name] = value;
    }
}
