using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Production;

/// <summary>Which versions' live traffic a production monitor watches.</summary>
public enum ProductionTarget
{
    /// <summary>Whatever version the alias named in <see cref="ProductionMonitor.TargetValue"/> pointed at when each prediction was made (resolved on ingest).</summary>
    Alias,
    /// <summary>The versions in the stage named in <see cref="ProductionMonitor.TargetValue"/> (Production, Staging).</summary>
    Stage,
    /// <summary>The version numbers listed in <see cref="ProductionMonitor.TargetValue"/>, comma-separated.</summary>
    Versions,
}

public enum ProductionWindowSize
{
    Hour,
    Day,
}

/// <summary>
/// Watches a model's live traffic window by window: drift against a reference and the previous window, performance
/// once actuals arrive (estimated by CBPE before), latency, errors and volume against its objectives.
/// </summary>
public sealed class ProductionMonitor
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    public RegisteredModel? Model { get; set; }
    /// <summary>Unique per model, case-insensitively.</summary>
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public string? Description { get; set; }
    public ProductionTarget Target { get; set; }
    public required string TargetValue { get; set; }
    public ProductionWindowSize WindowSize { get; set; }
    /// <summary>The reference data; null takes the training dataset of each served version (its lineage).</summary>
    public Guid? ReferenceDatasetVersionId { get; set; }
    public DatasetVersion? ReferenceDatasetVersion { get; set; }
    /// <summary>JSON of <see cref="ProductionMonitorSettings"/>: objectives, drift and performance thresholds.</summary>
    public required string Settings { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>A failing window's drift also starts the retraining of this spec (the drift-triggered retraining of a drift monitor).</summary>
    public Guid? RetrainSpecId { get; set; }
    public int AlertCooldownMinutes { get; set; } = 60;
    public DateTime? LastDriftAlertAtUtc { get; set; }
    public DateTime? LastPerformanceAlertAtUtc { get; set; }
    public DateTime? LastSloAlertAtUtc { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
