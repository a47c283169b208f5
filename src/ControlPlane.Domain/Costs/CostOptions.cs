namespace ControlPlane.Domain.Costs;

/// <summary>Bound from <c>ControlPlane:Costs</c>: default rates (per hour, in <see cref="Currency"/>) and the thresholds of the cost page.</summary>
public sealed class CostOptions
{
    public const string Section = "ControlPlane:Costs";

    public string Currency { get; set; } = "USD";
    /// <summary>The hourly rate of a worker and queue with no rate of their own.</summary>
    public double DefaultHourlyRate { get; set; }
    /// <summary>Hourly rates by worker (server) name; a worker's rate wins over its queue's.</summary>
    public Dictionary<string, double> Workers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Hourly rates by queue (<c>default</c>, <c>gpu</c>).</summary>
    public Dictionary<string, double> Queues { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Monitors whose scheduled runs found no drift for this many months are idle.</summary>
    public int IdleMonitorMonths { get; set; } = 3;
    /// <summary>A trained version not in Production this many days after its run ended counts as a wasted retrain.</summary>
    public int PromotionGraceDays { get; set; } = 14;
    /// <summary>An unfinished usage row older than this is a worker that died: it is charged up to its start plus this.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(1);
}
