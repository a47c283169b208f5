namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>The metrics of the rows whose slice column holds <see cref="Value"/>, for fairness checks across groups.</summary>
public sealed record SliceReport<TReport>(string Value, long Count, TReport Metrics)
    where TReport : IMetricReport;
