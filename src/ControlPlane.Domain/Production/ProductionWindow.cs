namespace ControlPlane.Domain.Production;

public enum WindowHealth
{
    /// <summary>No predictions in the window.</summary>
    NoData,
    Healthy,
    /// <summary>At least one objective was missed; <see cref="ProductionWindow.Breaches"/> says which.</summary>
    Breached,
}

/// <summary>
/// One computed window of a production monitor. Keyed by (monitor, start): recomputing replaces it, so the windows job
/// is idempotent. <see cref="InputsStamp"/> records which segments it read, so late data is found and recomputed.
/// </summary>
public sealed class ProductionWindow
{
    public Guid Id { get; set; }
    public Guid MonitorId { get; set; }
    public ProductionMonitor? Monitor { get; set; }
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public DateTime ComputedAtUtc { get; set; }
    public long Predictions { get; set; }
    public long Labelled { get; set; }
    public long Errors { get; set; }
    public WindowHealth Health { get; set; }
    /// <summary>Comma-separated kinds of breach: drift, performance, slo (empty when healthy).</summary>
    public string Breaches { get; set; } = "";
    /// <summary>JSON of <see cref="ProductionWindowResult"/>.</summary>
    public required string Results { get; set; }
    /// <summary>SHA-256 over the ids and row counts of the live segments read; a different stamp now means late data.</summary>
    public required string InputsStamp { get; set; }
}
