namespace ControlPlane.Domain.Evaluations;

/// <summary>
/// A gate on one metric, as MLflow's <c>mlflow.models.MetricThreshold</c>: <see cref="Threshold"/> bounds the candidate's
/// value (≥ when greater is better, ≤ otherwise); <see cref="MinAbsoluteChange"/> (positive) and
/// <see cref="MinRelativeChange"/> (a fraction in [0, 1]) require the candidate to beat the baseline by that much.
/// At least one of the three must be set. Checked by <see cref="MetricGates.Evaluate"/>.
/// </summary>
public sealed record MetricThreshold(string Metric, double? Threshold, double? MinAbsoluteChange, double? MinRelativeChange, bool GreaterIsBetter)
{
    public bool ComparesToBaseline => MinAbsoluteChange is not null || MinRelativeChange is not null;
}
