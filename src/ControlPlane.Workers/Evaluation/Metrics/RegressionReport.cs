using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Metrics of a regressor (see <see cref="RegressionMetrics"/>) and a histogram of the residuals y − ŷ.
/// Undefined values are null, never NaN.
/// </summary>
public sealed record RegressionReport(long Count, double? Rmse, double? Mae, double? R2, Histogram? Residuals) : IMetricReport
{
    public IReadOnlyDictionary<string, double> Flatten() => FlatMetrics.Of(
        (MetricNames.Rmse, Rmse),
        (MetricNames.Mae, Mae),
        (MetricNames.R2, R2));
}
