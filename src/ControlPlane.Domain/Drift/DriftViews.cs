using System.Text.Json;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Drift;

/// <summary>
/// A monitor as created or edited. Current data is either <see cref="CurrentDataset"/> (its latest version at run
/// time) or <see cref="CurrentDatasetVersion"/> as a fixed <see cref="DatasetRef"/>.
/// </summary>
public sealed record DriftMonitorRequest(
    string Name,
    DatasetRef Reference,
    string? CurrentDataset = null,
    DatasetRef? CurrentDatasetVersion = null,
    string? Description = null,
    string? Model = null,
    int? ModelVersion = null,
    DriftMonitorSettings? Settings = null,
    string? Schedule = null,
    string? TimeZone = null,
    bool Enabled = true,
    string? WebhookUrl = null,
    string? WebhookSecret = null,
    int AlertCooldownMinutes = 60);

public sealed record DriftMonitorView(
    Guid Id, string Name, string? Description, string? Model, int? ModelVersion, DatasetRef Reference,
    string? CurrentDataset, DatasetRef? CurrentDatasetVersion, DriftMonitorSettings Settings, string? Schedule, string TimeZone,
    bool Enabled, string? WebhookUrl, bool HasWebhookSecret, int AlertCooldownMinutes, Guid? LastRunId, DateTime? LastRunAt,
    bool? LastRunDrifted, string Owner, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record DriftRunView(
    Guid Id, Guid MonitorId, string Monitor, DatasetRef Reference, DatasetRef? Current, string Trigger, DriftRunStatus Status,
    double Progress, string? Error, bool? DatasetDrift, double? DriftShare, int? DriftedColumns, JsonElement? Results,
    long? DurationMs, string RequestedBy, DateTime RequestedAt, DateTime? StartedAt, DateTime? CompletedAt)
{
    /// <summary>The columns weighed by the model version's importance (one run's view only; null in lists).</summary>
    public Explainability.DriftAttributionView? Attribution { get; init; }
}
