using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Evaluations;

/// <summary>
/// One model version scored on one dataset version. The job that computes it is keyed by <see cref="Id"/>:
/// running it again overwrites the same row, never adds results.
/// </summary>
public sealed class EvaluationRun
{
    public Guid Id { get; set; }
    public Guid ModelVersionId { get; set; }
    public ModelVersion? ModelVersion { get; set; }
    public Guid DatasetVersionId { get; set; }
    public DatasetVersion? DatasetVersion { get; set; }
    public required string LabelColumn { get; set; }
    /// <summary>Null until the job decides from the model outputs and labels.</summary>
    public EvaluationTask? Task { get; set; }
    public EvaluationDevice Device { get; set; }
    public string? SliceColumn { get; set; }
    public double Threshold { get; set; } = 0.5;
    public int BatchSize { get; set; } = 1024;
    /// <summary>Permutations per feature for permutation importance; null when importance was not asked for.</summary>
    public int? ImportanceRepeats { get; set; }
    /// <summary>Seed of the importance sample and permutations, so a rerun reproduces the figures.</summary>
    public int? ImportanceSeed { get; set; }
    public EvaluationStatus Status { get; set; }
    public double Progress { get; set; }
    public string? Error { get; set; }
    /// <summary>JSON object of metric name → value (the figures gates and comparisons read).</summary>
    public string? Metrics { get; set; }
    /// <summary>JSON of the full report (curves, confusion matrix, slices); written by the worker, read by the UI.</summary>
    public string? Details { get; set; }
    /// <summary>JSON of where and how it ran (execution provider, runtime version, GPU, threads, throughput, latency).</summary>
    public string? Provenance { get; set; }
    public string? JobId { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
