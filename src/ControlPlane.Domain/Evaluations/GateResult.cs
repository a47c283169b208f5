namespace ControlPlane.Domain.Evaluations;

/// <summary>
/// The outcome of one <see cref="MetricThreshold"/>. <see cref="Delta"/> is candidate − baseline and
/// <see cref="RelativeDelta"/> that over |baseline| (null when the baseline is 0 or missing); both are signed by the
/// values, not by which direction is better. <see cref="Reason"/> says in words what passed or failed.
/// </summary>
public sealed record GateResult(
    string Metric,
    double? Candidate,
    double? Baseline,
    double? Delta,
    double? RelativeDelta,
    bool Passed,
    string Reason);
