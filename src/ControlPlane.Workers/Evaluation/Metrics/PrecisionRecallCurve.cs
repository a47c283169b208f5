namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Points of scikit-learn 1.2's <c>precision_recall_curve</c>: thresholds increase, and the last point
/// (precision 1, recall 0) has no threshold, so <see cref="Thresholds"/> is one shorter. Reports carry it thinned for
/// charts (<see cref="Thin"/>).
/// </summary>
public sealed record PrecisionRecallCurve(IReadOnlyList<double> Precision, IReadOnlyList<double> Recall, IReadOnlyList<double> Thresholds)
{
    public PrecisionRecallCurve Thin()
    {
        var indices = CurveSampling.Indices(Precision.Count);
        // The last point is always kept and is the only one without a threshold.
        return new PrecisionRecallCurve(
            CurveSampling.Pick(Precision, indices),
            CurveSampling.Pick(Recall, indices),
            CurveSampling.Pick(Thresholds, indices[..^1]));
    }
}
