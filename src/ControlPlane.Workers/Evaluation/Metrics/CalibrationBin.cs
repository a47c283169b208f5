namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// One non-empty bin of <c>calibration_curve(strategy="uniform", n_bins=10)</c>: scores in (Lower, Upper] (the first
/// bin also holds 0), their mean (<c>prob_pred</c>) and the share of positive rows (<c>prob_true</c>).
/// </summary>
public sealed record CalibrationBin(double Lower, double Upper, long Count, double MeanPredicted, double FractionPositive);
