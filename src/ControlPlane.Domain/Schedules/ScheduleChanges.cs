using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// Keeps the monitor and spec editors from going around <see cref="ScheduleOptions.ProposalsNeedApproval"/>: when
/// approval is needed, only admins create a monitor or spec with a schedule, or change an existing schedule's cron or
/// time zone, or switch it on, from an editor. Removing or pausing a schedule stays open to every writer (less
/// automation is always safe).
/// </summary>
public static class ScheduleChanges
{
    /// <param name="before">The schedule before the change; null when the monitor or spec is being created.</param>
    public static void RequireAllowed(Actor actor, ScheduleOptions options, (string? Cron, string TimeZone, bool Enabled)? before, (string? Cron, string TimeZone, bool Enabled) after)
    {
        if (!options.ProposalsNeedApproval || actor.IsInRole(ControlPlaneRoles.Admin) || after.Cron is null || !after.Enabled)
            return;
        if (before is null)
            throw new ForbiddenException("A schedule needs an admin's approval here: create it without a schedule, then propose one " +
                "(POST /api/v1/schedules/proposals, or \"Propose schedule\" on its page).");
        var unchanged = before.Value.Cron == after.Cron && before.Value.TimeZone == after.TimeZone && before.Value.Enabled;
        if (!unchanged)
            throw new ForbiddenException("Changing a schedule needs an admin's approval here: propose it (POST /api/v1/schedules/proposals, " +
                "or \"Propose schedule\" on the page) and save the rest without changing the schedule.");
    }
}
