using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// The full report of a finished evaluation, stored as JSON on the run: the task's report (curves, confusion
/// matrix, calibration, residuals), per-slice figures, and the measured batch latencies for the histogram.
/// </summary>
public sealed record EvaluationDetails(
    BinaryReport? Binary,
    MulticlassReport? Multiclass,
    RegressionReport? Regression,
    string? SliceColumn,
    IReadOnlyList<SliceSummary> Slices,
    IReadOnlyList<double> BatchLatenciesMs)
{
    /// <summary>Permutation feature importance; absent when the request did not ask for it.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Importance.ImportanceReport? Importance { get; init; }

    /// <summary>The slices furthest below the overall figure, worst first, with 95 % intervals; absent without a slice column.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SliceError>? SliceErrors { get; init; }

    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>One group of the slice column: how many rows and the flat metrics of that group.</summary>
public sealed record SliceSummary(string Value, long Count, IReadOnlyDictionary<string, double> Metrics);
