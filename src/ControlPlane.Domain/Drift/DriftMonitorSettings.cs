using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Drift;

/// <summary>
/// What a monitor compares and how. Method names: ks, wasserstein, psi, jensenshannon, chisquare. Empty
/// <see cref="Columns"/> means every Feature and Prediction column present in both versions.
/// <see cref="MaxHistogramCategories"/> caps the categories a run stores and charts per column (the rest fold into
/// one "other" bin); the tests still use every category.
/// </summary>
public sealed record DriftMonitorSettings(
    IReadOnlyList<string>? Columns = null,
    IReadOnlyDictionary<string, ColumnDriftOverride>? Overrides = null,
    double DriftShareThreshold = 0.5,
    int MinimumValues = 30,
    bool BenjaminiHochberg = false,
    int MaxHistogramCategories = DriftMonitorSettings.DefaultMaxHistogramCategories)
{
    public const int DefaultMaxHistogramCategories = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DriftMonitorSettings FromJson(string json) => JsonSerializer.Deserialize<DriftMonitorSettings>(json, Json)!;
}

/// <summary>A column's own test and/or threshold.</summary>
public sealed record ColumnDriftOverride(string? Method = null, double? Threshold = null);
