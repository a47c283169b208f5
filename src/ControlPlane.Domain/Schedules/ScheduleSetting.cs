namespace ControlPlane.Domain.Schedules;

/// <summary>
/// Per-schedule settings that have no other home: the misfire policy of every schedule, and the cron, time zone and
/// pause of built-in jobs (monitors and specs keep theirs on their own rows).
/// </summary>
public sealed class ScheduleSetting
{
    /// <summary>The stable recurring-job id.</summary>
    public required string Id { get; set; }
    public string? Cron { get; set; }
    public string? TimeZone { get; set; }
    public bool Paused { get; set; }
    public MisfirePolicy Misfire { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
