using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// Keeps the monitor and spec editors from going around <see cref="ScheduleOptions.ProposalsNeedApproval"/>: when
/// approval is needed, only admins change an existing schedule's cron or time zone, or switch it on, from an editor.
/// Removing or pausing a schedule stays open to every writer (less automation is always safe).
/// </summary>
public static class ScheduleChanges
{
    public static void RequireAllowed(Actor actor, ScheduleOptions options, (string? Cron, string TimeZone, bool Enabled) before, (string? Cron, string TimeZone, bool Enabled) after)
    {
        if (!options.ProposalsNeedApproval || actor.IsInRole(ControlPlaneRoles.Admin) || after.Cron is null || !after.Enabled)
            return;
        var unchanged = before.Cron == after.Cron && before.TimeZone == after.TimeZone && before.Enabled;
        if (!unchanged)
            throw new ForbiddenException("Changing a schedule needs an admin's approval here: propose it (POST /api/v1/schedules/proposals, " +
                "or \"Propose schedule\" on the page) and save the rest without changing the schedule.");
    }
}
