using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// The newest run of each schedule's monitor or spec that something other than the schedule started ("run now" on
/// the monitor's page, a drift-triggered retrain): the job system only remembers the runs its recurring trigger
/// started, so those would be missing from "Last run". Scheduled runs keep the job system's record (its job id and history).
/// </summary>
internal static class TargetRuns
{
    // The trigger both drift runs and training runs record when their schedule started them.
    private const string Scheduled = Training.TrainingTriggers.Schedule;

    public static async Task<Dictionary<string, ScheduleRun>> LatestAsync(ControlPlaneDbContext db, IReadOnlyCollection<ScheduleId> ids, CancellationToken ct)
    {
        var monitors = ids.Where(i => i.Kind == ScheduleKind.DriftMonitor && i.SubjectId is not null).Select(i => i.SubjectId!.Value).ToList();
        var specs = ids.Where(i => i.Kind == ScheduleKind.TrainingSpec && i.SubjectId is not null).Select(i => i.SubjectId!.Value).ToList();
        var runs = new Dictionary<string, ScheduleRun>();
        if (monitors.Count > 0)
            foreach (var r in await db.DriftRuns.AsNoTracking()
                         .Where(r => monitors.Contains(r.MonitorId) && r.Trigger != Scheduled
                             && !db.DriftRuns.Any(o => o.MonitorId == r.MonitorId && o.Trigger != Scheduled && o.RequestedAtUtc > r.RequestedAtUtc))
                         .Select(r => new { r.MonitorId, r.JobId, r.Status, At = r.CompletedAtUtc ?? r.StartedAtUtc ?? r.RequestedAtUtc, r.DurationMs, r.Error }).ToListAsync(ct))
                runs[ScheduleId.ForMonitor(r.MonitorId).ToString()] = new ScheduleRun(r.JobId ?? "", r.Status.ToString(), r.At, r.DurationMs, r.Error);
        if (specs.Count > 0)
            foreach (var r in await db.TrainingRuns.AsNoTracking()
                         .Where(r => specs.Contains(r.SpecId) && r.Trigger != Scheduled
                             && !db.TrainingRuns.Any(o => o.SpecId == r.SpecId && o.Trigger != Scheduled && o.RequestedAtUtc > r.RequestedAtUtc))
                         .Select(r => new { r.SpecId, r.JobId, r.Status, At = r.CompletedAtUtc ?? r.StartedAtUtc ?? r.RequestedAtUtc, r.Error }).ToListAsync(ct))
                runs[ScheduleId.ForSpec(r.SpecId).ToString()] = new ScheduleRun(r.JobId ?? "", r.Status.ToString(), r.At, null, r.Error);
        return runs;
    }
}
