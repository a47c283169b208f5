using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Production;

/// <summary>
/// What a production monitor judges a window by. Every objective is optional; one that is set and missed is a breach.
/// </summary>
public sealed record ProductionMonitorSettings
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Features to watch; empty watches every feature the reference and the traffic share.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];
    /// <summary>Adjusted p-value (Benjamini–Hochberg over the window's features) below which a feature drifted.</summary>
    public double DriftAlpha { get; init; } = 0.05;
    /// <summary>The share of drifted features from which the window's data counts as drifted.</summary>
    public double DriftShare { get; init; } = 0.5;
    /// <summary>Highest share of missing or invalid values in a watched feature.</summary>
    public double? MaxMissingRate { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
    public double? MaxErrorRate { get; init; }
    /// <summary>Fewest predictions a window must hold (a silent model is a failure too).</summary>
    public long? MinPredictions { get; init; }
    /// <summary>The metric judged (its direction from the metric's name), and the bound it must meet.</summary>
    public string? PerformanceMetric { get; init; }
    public double? PerformanceThreshold { get; init; }
    /// <summary>The decision threshold on a binary classifier's score (for realised metrics and CBPE).</summary>
    public double ScoreThreshold { get; init; } = 0.5;
    /// <summary>Windows with fewer labelled predictions than this show performance but do not breach on it.</summary>
    public long MinLabelled { get; init; } = 30;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ProductionMonitorSettings FromJson(string json) => JsonSerializer.Deserialize<ProductionMonitorSettings>(json, Json)!;
}
