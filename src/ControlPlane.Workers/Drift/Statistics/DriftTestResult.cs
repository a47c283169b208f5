namespace ControlPlane.Workers.Drift.Statistics;

/// <param name="Statistic">KS D, Wasserstein-1 distance, PSI, Jensen–Shannon distance or chi-square statistic.</param>
/// <param name="Normalized">Wasserstein only: the distance over max(reference population std, 0.001), which is what the threshold applies to.</param>
/// <param name="PValue">KS and chi-square only.</param>
/// <param name="AdjustedPValue">Benjamini–Hochberg adjusted p-value, when the run asked for the correction; the verdict then uses it.</param>
public sealed record DriftTestResult(
    DriftMethod Method,
    double Statistic,
    double? Normalized,
    double? PValue,
    double? AdjustedPValue,
    double Threshold,
    bool Drifted);
