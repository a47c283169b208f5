namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>One class of a multiclass report: scikit-learn's per-class precision, recall, F1 and support (<c>zero_division=0</c>), plus how often it was predicted.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, long Support, long Predicted);
