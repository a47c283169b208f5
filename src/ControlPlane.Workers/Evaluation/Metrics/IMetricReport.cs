namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>A report that can be stored and gated as a flat name → value map.</summary>
public interface IMetricReport
{
    /// <summary>Rows the report was computed on.</summary>
    long Count { get; }

    /// <summary>The defined metrics keyed by <see cref="MetricNames"/>; undefined ones (null in the report) are left out.</summary>
    IReadOnlyDictionary<string, double> Flatten();
}
