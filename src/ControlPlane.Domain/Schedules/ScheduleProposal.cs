namespace ControlPlane.Domain.Schedules;

public enum ScheduleProposalStatus { Pending, Approved, Rejected, Applied }

/// <summary>A data scientist's proposed schedule for a monitor or spec of theirs; a null cron proposes removing the schedule.</summary>
public sealed class ScheduleProposal
{
    public Guid Id { get; set; }
    public required string ScheduleId { get; set; }
    public string? Cron { get; set; }
    public required string TimeZone { get; set; }
    public required string Reason { get; set; }
    public ScheduleProposalStatus Status { get; set; }
    public required string ProposedBy { get; set; }
    public DateTime ProposedAtUtc { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAtUtc { get; set; }
    public string? DecisionReason { get; set; }
}
