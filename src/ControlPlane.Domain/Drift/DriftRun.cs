namespace ControlPlane.Domain.Drift;

public enum DriftRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>One comparison of a monitor's reference with the current data. The job is keyed by <see cref="Id"/>.</summary>
public sealed class DriftRun
{
    public Guid Id { get; set; }
    public Guid MonitorId { get; set; }
    public DriftMonitor? Monitor { get; set; }
    public Guid ReferenceDatasetVersionId { get; set; }
    /// <summary>Resolved when the run starts (the latest version of the monitor's dataset at that time).</summary>
    public Guid? CurrentDatasetVersionId { get; set; }
    public required string Trigger { get; set; }
    public DriftRunStatus Status { get; set; }
    public double Progress { get; set; }
    public string? Error { get; set; }
    public bool? DatasetDrift { get; set; }
    public double? DriftShare { get; set; }
    public int? DriftedColumns { get; set; }
    /// <summary>JSON of the per-column results with histograms (written by the worker).</summary>
    public string? Results { get; set; }
    public long? DurationMs { get; set; }
    public string? JobId { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
}
