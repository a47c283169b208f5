using System.Text.Json;

namespace ControlPlane.Domain.Production;

/// <summary>Everything the production page shows of one window; stored as JSON on <see cref="ProductionWindow.Results"/>.</summary>
public sealed record ProductionWindowResult
{
    public long Predictions { get; init; }
    public long Errors { get; init; }
    public double? ErrorRate { get; init; }
    public LatencyFigures? Latency { get; init; }
    /// <summary>Which versions and variants served the window, with their row counts.</summary>
    public IReadOnlyList<ServedSlice> Served { get; init; } = [];
    public IReadOnlyList<FeatureWindow> Features { get; init; } = [];
    /// <summary>The data-level verdict against the reference (share of drifted features); null without a reference.</summary>
    public bool? Drifted { get; init; }
    /// <summary>The model's output (score, value or label) against the previous window's.</summary>
    public DriftFigure? OutputVsPrevious { get; init; }
    public RealisedPerformance? Realised { get; init; }
    public EstimatedPerformance? Estimated { get; init; }
    public IReadOnlyList<ObjectiveResult> Objectives { get; init; } = [];
    /// <summary>Kinds of breach: drift, performance, slo.</summary>
    public IReadOnlyList<string> Breaches { get; init; } = [];
    /// <summary>What a reader should know (no reference, too few labels, columns not in the reference, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, ProductionMonitorSettings.Json);

    public static ProductionWindowResult FromJson(string json) => JsonSerializer.Deserialize<ProductionWindowResult>(json, ProductionMonitorSettings.Json)!;
}

public sealed record LatencyFigures(long Count, double Mean, double P50, double P95, double P99);

public sealed record ServedSlice(int Version, string Variant, long Rows);

/// <summary>One feature in one window: its quality, and its drift against the reference and the previous window.</summary>
public sealed record FeatureWindow(string Name, string Kind, long Rows, double MissingRate, DriftFigure? VsReference, DriftFigure? VsPrevious);

/// <summary>One drift test: the statistic, its p-value and the Benjamini–Hochberg adjusted one where the method has them.</summary>
public sealed record DriftFigure(string Method, double Statistic, double? PValue, double? AdjustedPValue, bool Drifted, long ReferenceRows, long CurrentRows);

/// <summary>Metrics on the predictions whose actuals arrived, by the evaluation's definitions; coverage = labelled / predictions.</summary>
public sealed record RealisedPerformance(long Labelled, double Coverage, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A label-free estimate (CBPE: the expected confusion matrix from calibrated scores) with its standard error and a 95% band.</summary>
public sealed record EstimatedPerformance(string Method, string Metric, double Value, double StandardError, double Lower, double Upper, long Rows);

/// <summary>One objective of the monitor: its bound, the window's figure, and whether it was met (null: not judged, e.g. too few labels).</summary>
public sealed record ObjectiveResult(string Name, string Kind, double Bound, double? Actual, bool? Met);
