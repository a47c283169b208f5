namespace ControlPlane.Domain.Schedules;

/// <summary>One recurring job of the product as admins see it.</summary>
public sealed record ScheduleView(
    string Id, ScheduleKind Kind, string Subject, string? Link, string Cron, string Description, string TimeZone, bool Enabled,
    MisfirePolicy Misfire, DateTime? NextRunUtc, DateTime? LastRunUtc, string? LastOutcome, string? LastJobId, bool BuiltIn, string? Note);

/// <summary>Create a schedule for a monitor or spec that has none (<c>id</c> is its stable id), or replace one (PUT).</summary>
public sealed record ScheduleInput(string? Cron, string? TimeZone, MisfirePolicy? Misfire, string? Reason, string? Id = null);

public sealed record ScheduleReason(string? Reason);

/// <summary>A proposed schedule; a null or empty cron proposes removing it.</summary>
public sealed record ScheduleProposalInput(string? ScheduleId, string? Cron, string? TimeZone, string? Reason);

public sealed record ScheduleProposalView(
    Guid Id, string ScheduleId, string Subject, string? Cron, string? Description, string TimeZone, string Reason, ScheduleProposalStatus Status,
    string ProposedBy, DateTime ProposedAtUtc, string? DecidedBy, DateTime? DecidedAtUtc, string? DecisionReason);
