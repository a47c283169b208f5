using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Comparisons;

/// <summary>What a comparison found; stored as JSON on <see cref="ChallengerComparison.Results"/>.</summary>
public sealed record ComparisonResult
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>"shadow": both versions scored the same requests (paired on prediction id); "canary": each scored its own requests.</summary>
    public required string Mode { get; init; }
    public required ComparisonSide Champion { get; init; }
    public required ComparisonSide Challenger { get; init; }
    /// <summary>Shadow: predictions both versions scored (labelled or not).</summary>
    public long Pairs { get; init; }
    public IReadOnlyList<MetricComparison> Tests { get; init; } = [];
    public Agreement? Agreement { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ComparisonResult FromJson(string json) => JsonSerializer.Deserialize<ComparisonResult>(json, Json)!;
}

/// <summary>One version's traffic in the comparison: its predictions, how many have actuals, its metrics and latency.</summary>
public sealed record ComparisonSide(int Version, long Predictions, long Labelled, double Coverage, IReadOnlyDictionary<string, double> Metrics,
    ComparisonLatency? Latency);

public sealed record ComparisonLatency(long Count, double P50, double P95, double P99);

/// <summary>
/// One metric of both versions and the test of challenger − champion: its 95 % interval, the two-sided p-value, and
/// <see cref="PWorse"/>, the one-sided p-value of "the challenger is worse" (lower when greater is better, higher
/// otherwise). <see cref="ChampionRows"/> and <see cref="ChallengerRows"/> are the labelled rows it read (equal when paired).
/// </summary>
public sealed record MetricComparison(string Metric, string Test, bool GreaterIsBetter, long ChampionRows, long ChallengerRows,
    double Champion, double Challenger, double Difference, double Lower, double Upper, double PValue, double PWorse);

/// <summary>Shadow only: of the pairs, the share with the same predicted label, and the share whose scores (or values) differ by at most the tolerance.</summary>
public sealed record Agreement(long Pairs, double? SameLabel, double? WithinTolerance, double Tolerance);
