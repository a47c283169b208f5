using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Training;

/// <summary>One training of a spec. The job is keyed by <see cref="Id"/>: a finished run is never trained again.</summary>
public sealed class TrainingRun
{
    public Guid Id { get; set; }
    public Guid SpecId { get; set; }
    public TrainingSpec? Spec { get; set; }
    /// <summary>The spec's hash when the run was queued (the spec may change later).</summary>
    public required string SpecHash { get; set; }
    /// <summary>manual, schedule or drift.</summary>
    public required string Trigger { get; set; }
    /// <summary>Resolved when the run starts (the latest version of a named dataset at that time).</summary>
    public Guid? DatasetVersionId { get; set; }
    public DatasetVersion? DatasetVersion { get; set; }
    public TrainingRunStatus Status { get; set; }
    public double Progress { get; set; }
    /// <summary>What the run is doing now (loading, training, validating, exporting, registering).</summary>
    public string? Phase { get; set; }
    public bool CancelRequested { get; set; }
    public string? Error { get; set; }
    /// <summary>JSON object of validation (or cross-validation mean) metrics.</summary>
    public string? Metrics { get; set; }
    public long? TrainingRows { get; set; }
    public long? ValidationRows { get; set; }
    public Guid? ModelVersionId { get; set; }
    public ModelVersion? ModelVersion { get; set; }
    public OnnxExportStatus OnnxExport { get; set; }
    public string? OnnxMessage { get; set; }
    public string? OnnxSha256 { get; set; }
    public Guid? EvaluationId { get; set; }
    public Guid? BaselineEvaluationId { get; set; }
    public long? TrainingMs { get; set; }
    public string? Machine { get; set; }
    public string? JobId { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
