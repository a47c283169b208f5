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
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>One group of the slice column: how many rows and the flat metrics of that group.</summary>
public sealed record SliceSummary(string Value, long Count, IReadOnlyDictionary<string, double> Metrics);
