namespace ControlPlane.Domain.Costs;

public enum CostSettingKind
{
    WorkerRate,
    QueueRate,
    ModelBudget,
}

/// <summary>
/// An admin's hourly rate for a worker or queue, or a model's monthly budget (key: the model id). Rates from
/// configuration are defaults that these rows override.
/// </summary>
public sealed class CostSetting
{
    public Guid Id { get; set; }
    public CostSettingKind Kind { get; set; }
    public required string Key { get; set; }
    public double Amount { get; set; }
    /// <summary>For a budget: the month (<c>yyyy-MM</c>) whose overspend was last alerted, so each month alerts once.</summary>
    public string? AlertedMonth { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
