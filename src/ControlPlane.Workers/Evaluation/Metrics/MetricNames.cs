namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>Keys of the flat metric view that reports give for storage and gates.</summary>
public static class MetricNames
{
    public const string Accuracy = "accuracy";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string F1 = "f1";
    public const string RocAuc = "rocAuc";
    public const string PrAuc = "prAuc";
    public const string LogLoss = "logLoss";
    public const string Brier = "brier";
    public const string MacroF1 = "macroF1";
    public const string WeightedF1 = "weightedF1";
    public const string Rmse = "rmse";
    public const string Mae = "mae";
    public const string R2 = "r2";
}
