namespace ControlPlane.Domain.Schedules;

/// <summary>Bound from <c>ControlPlane:Schedules</c>.</summary>
public sealed class ScheduleOptions
{
    public const string Section = "ControlPlane:Schedules";

    /// <summary>Schedules that data scientists propose wait for an admin's approval; false applies them at once.</summary>
    public bool ProposalsNeedApproval { get; set; } = true;

    /// <summary>The shortest time between two runs a cron expression may ask for (expressions with seconds can ask for less).</summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(1);
}
