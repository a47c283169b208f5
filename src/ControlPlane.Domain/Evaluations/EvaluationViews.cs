using System.Text.Json;

namespace ControlPlane.Domain.Evaluations;

/// <summary>
/// What to evaluate. The label defaults to the dataset version's Label column; the task is detected when not given.
/// <see cref="Importance"/> null measures permutation importance when the model has at most
/// <see cref="EvaluationService.DefaultImportanceMaxFeatures"/> input features; repeats default to 5 and the seed to a
/// random one, stored with the run.
/// </summary>
public sealed record EvaluationRequest(
    string Model, int Version, string Dataset, int DatasetVersion, string? LabelColumn = null, EvaluationTask? Task = null,
    EvaluationDevice? Device = null, string? SliceColumn = null, double? Threshold = null, int? BatchSize = null,
    bool? Importance = null, int? ImportanceRepeats = null, int? ImportanceSeed = null);

/// <summary>An evaluation with its figures once done; <see cref="Details"/> and <see cref="Provenance"/> are the worker's JSON as written.</summary>
public sealed record EvaluationView(
    Guid Id, string Model, int ModelVersion, string Dataset, int DatasetVersion, string LabelColumn, EvaluationTask? Task,
    EvaluationDevice Device, string? SliceColumn, double Threshold, int BatchSize, EvaluationStatus Status, double Progress,
    string? Error, IReadOnlyDictionary<string, double>? Metrics, JsonElement? Details, JsonElement? Provenance,
    string RequestedBy, DateTime RequestedAt, DateTime? StartedAt, DateTime? CompletedAt)
{
    /// <summary>Permutations per feature; null when importance was not asked for.</summary>
    public int? ImportanceRepeats { get; init; }
    public int? ImportanceSeed { get; init; }
}

/// <summary>A candidate against a baseline on the same dataset version: the difference per shared metric, and the gates.</summary>
public sealed record EvaluationComparison(
    EvaluationView Candidate, EvaluationView Baseline, IReadOnlyList<MetricDelta> Deltas, IReadOnlyList<GateResult> Gates, bool GatesPassed);

public sealed record MetricDelta(string Metric, double Candidate, double Baseline, double Delta);
