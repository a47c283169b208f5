namespace ControlPlane.Client;

/// <summary>Which traffic a prediction served; written in lower case on the wire.</summary>
public enum PredictionVariant
{
    Primary,
    Shadow,
    Canary,
}

/// <summary>
/// One prediction as the ingest API takes it (POST /api/v1/models/{name}/predictions): features by name, the
/// outputs reduced to label / score / probabilities / value, latency and the version that served it.
/// A shadow record carries the same <see cref="PredictionId"/> as the primary one it shadows, so the two pair up.
/// </summary>
public sealed class PredictionRecord
{
    public required string PredictionId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required int Version { get; init; }
    /// <summary>The alias the handle followed to that version (a monitor on the alias watches these rows).</summary>
    public string? Alias { get; init; }
    public PredictionVariant Variant { get; init; }
    /// <summary>Names for <see cref="FeatureValues"/>, same length.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }
    public float[]? FeatureValues { get; init; }
    public string? Label { get; init; }
    /// <summary>A binary classifier's probability of the positive class (the second).</summary>
    public double? Score { get; init; }
    public float[]? Probabilities { get; init; }
    /// <summary>Keys for <see cref="Probabilities"/> (class names; "0", "1", … when the model names none).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
    public double? Value { get; init; }
    public double? LatencyMs { get; init; }
    public string? Error { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
