namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Points of scikit-learn 1.2's <c>roc_curve(drop_intermediate=True)</c>: the first point is (0, 0) at threshold
/// max score + 1, thresholds decrease. Reports carry it thinned for charts (<see cref="Thin"/>).
/// </summary>
public sealed record RocCurve(IReadOnlyList<double> FalsePositiveRate, IReadOnlyList<double> TruePositiveRate, IReadOnlyList<double> Thresholds)
{
    public RocCurve Thin()
    {
        var indices = CurveSampling.Indices(Thresholds.Count);
        return new RocCurve(
            CurveSampling.Pick(FalsePositiveRate, indices),
            CurveSampling.Pick(TruePositiveRate, indices),
            CurveSampling.Pick(Thresholds, indices));
    }
}
