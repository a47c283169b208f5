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

    /// <summary>
    /// Whether a higher value is better: errors and losses are lower-is-better, scores higher-is-better; null for a
    /// metric recorded by hand that this library does not compute (a policy gate states its own direction).
    /// </summary>
    public static bool? GreaterIsBetter(string metric) => metric switch
    {
        LogLoss or Brier or Rmse or Mae => false,
        Accuracy or Precision or Recall or F1 or RocAuc or PrAuc or MacroF1 or WeightedF1 or R2 => true,
        _ => null,
    };

    /// <summary>The one figure to show first when nothing says which: threshold-free ranking, then class balance, then error.</summary>
    public static IReadOnlyList<string> Headlines { get; } = [RocAuc, MacroF1, Rmse, R2, F1, Accuracy];
}
