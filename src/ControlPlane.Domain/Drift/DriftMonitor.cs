using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Drift;

/// <summary>
/// Compares the latest data (the newest version of a named dataset, or one fixed version) with a reference version,
/// on demand or on a schedule, and alerts when the data drifted.
/// </summary>
public sealed class DriftMonitor : Common.INamedResource
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public string? Description { get; set; }
    /// <summary>The model version whose inputs this watches (optional; shown on the version and used by governance).</summary>
    public Guid? ModelVersionId { get; set; }
    public ModelVersion? ModelVersion { get; set; }
    public Guid ReferenceDatasetVersionId { get; set; }
    public DatasetVersion? ReferenceDatasetVersion { get; set; }
    /// <summary>Current data: the latest version of this dataset at run time…</summary>
    public Guid? CurrentDatasetId { get; set; }
    public Dataset? CurrentDataset { get; set; }
    /// <summary>…or this fixed version.</summary>
    public Guid? CurrentDatasetVersionId { get; set; }
    public DatasetVersion? CurrentDatasetVersion { get; set; }
    /// <summary>JSON of <see cref="DriftMonitorSettings"/>: columns, per-column methods and thresholds, dataset-drift rule.</summary>
    public required string Settings { get; set; }
    /// <summary>Cron (five fields) and IANA/Windows time zone; null = run only on demand.</summary>
    public string? Schedule { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public bool Enabled { get; set; } = true;
    public string? WebhookUrl { get; set; }
    /// <summary>HMAC key for webhook signatures, encrypted with the app's data-protection keys; never shown again or logged.</summary>
    public string? WebhookSecretProtected { get; set; }
    public int AlertCooldownMinutes { get; set; } = 60;
    public DateTime? LastAlertAtUtc { get; set; }
    /// <summary>The drifted columns of the last alert, so a persisting drift does not alert again within the cool-down.</summary>
    public string? LastAlertSignature { get; set; }
    public Guid? LastRunId { get; set; }
    public DateTime? LastRunAtUtc { get; set; }
    public bool? LastRunDrifted { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
