namespace ControlPlane.Workers.Production;

/// <summary>What DuckDB aggregates over every (deduplicated, filtered) prediction of a window.</summary>
public sealed record WindowAggregates(
    long Predictions,
    long Errors,
    long LatencyCount,
    double? LatencyMean,
    double? LatencyP50,
    double? LatencyP95,
    double? LatencyP99,
    long Labelled,
    long Scored,
    long Valued,
    long Labels,
    CbpeSums Cbpe,
    IReadOnlyDictionary<string, long> Missing);

/// <summary>The sums CBPE needs, over rows with a score: predicted positive when score ≥ threshold.</summary>
/// <param name="PositiveScoreSum">Σ p over predicted positives (expected true positives).</param>
/// <param name="PositiveVariance">Σ p(1−p) over predicted positives.</param>
/// <param name="NegativeScoreSum">Σ p over predicted negatives (expected false negatives).</param>
/// <param name="NegativeVariance">Σ p(1−p) over predicted negatives.</param>
public sealed record CbpeSums(long Rows, long PredictedPositive, double PositiveScoreSum, double PositiveVariance, double NegativeScoreSum, double NegativeVariance);

/// <summary>A feature column of the telemetry: DOUBLE columns are numerical, the others categorical.</summary>
public sealed record TelemetryFeature(string Name, bool Numerical);

/// <summary>The model's output in a window, as the drift engine compares it: numbers (score or value) or labels.</summary>
public sealed record OutputSample(string Column, double[]? Numbers, string?[]? Labels);

/// <summary>Feature and output values of a window's rows (all of them, or a deterministic sample).</summary>
public sealed record WindowSample(
    IReadOnlyList<TelemetryFeature> Features,
    IReadOnlyDictionary<string, double[]> Numbers,
    IReadOnlyDictionary<string, string?[]> Texts,
    OutputSample? Output,
    bool Sampled);

/// <summary>A prediction whose actual arrived.</summary>
public sealed record LabelledRow(double? Score, string? Label, double? Value, string Actual, double? ActualValue);
