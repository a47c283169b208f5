using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// Every recurring job of the product in one list, and the admin operations on them. Each change is audited with the
/// admin's reason; monitors and specs stay the source of truth for their own cron and on/off switch.
/// </summary>
public sealed class Schedules(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IRecurringJobStore jobs,
    BuiltInSchedules builtIns,
    AuditLog audit,
    IActorContext actor,
    Microsoft.Extensions.Options.IOptions<ScheduleOptions> options,
    TimeProvider time)
{
    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (targets, settings) = await ScheduleTargets.LoadAllAsync(db, builtIns, ct);
        var states = jobs.Find(targets.Select(t => t.Id.ToString()).ToList());
        // A paused schedule has no recurring job, so no last-run record: the job history still has its runs.
        var finished = jobs.LastFinishedRuns(targets.Where(t => !states.ContainsKey(t.Id.ToString())).Select(t => t.Id).ToList());
        var targetRuns = await TargetRuns.LatestAsync(db, targets.Select(t => t.Id).ToList(), ct);
        var now = time.GetUtcNow();
        return targets.Select(t => View(t, settings.GetValueOrDefault(t.Id.ToString())?.Misfire ?? default, states.GetValueOrDefault(t.Id.ToString()),
                finished.GetValueOrDefault(t.Id.ToString()), targetRuns.GetValueOrDefault(t.Id.ToString()), now))
            .OrderBy(v => v.BuiltIn).ThenBy(v => v.Subject, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<ScheduleView> GetAsync(string id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var key = ScheduleId.Parse(id);
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var target = await ScheduleTargets.LoadAsync(db, key, builtIns, actor.Current.Name, now.UtcDateTime, ct);
        if (target.Cron is null)
            throw new NotFoundException($"{key} has no schedule.");
        var setting = await ScheduleTargets.SettingAsync(db, key, actor.Current.Name, now.UtcDateTime, ct); // not saved: a read
        var state = jobs.Find([key.ToString()]).GetValueOrDefault(key.ToString());
        var finished = state is null ? jobs.LastFinishedRuns([key]).GetValueOrDefault(key.ToString()) : null;
        var targetRun = (await TargetRuns.LatestAsync(db, [key], ct)).GetValueOrDefault(key.ToString());
        return View(target, setting.Misfire, state, finished, targetRun, now);
    }

    /// <summary>Gives a monitor or spec without a schedule one (and switches it on).</summary>
    public async Task<ScheduleView> CreateAsync(ScheduleInput input, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var id = ScheduleId.Parse(input.Id ?? throw ScheduleRules.Invalid("id", "Name the monitor or spec: \"id\": \"drift-monitor:{guid}\" or \"training-spec:{guid}\"."));
        if (id.IsBuiltIn)
            throw new ConflictException($"{id} is a built-in job and always has a schedule; change it with PUT.");
        return await ChangeAsync(id.ToString(), "schedule.created", input.Reason, (target, setting) =>
        {
            if (target.Cron is not null)
                throw new ConflictException($"{target.Subject} already has a schedule; change it with PUT /api/v1/schedules/{id}.");
            SetCron(target, setting, input);
            target.Enabled = true;
        }, ct);
    }

    public Task<ScheduleView> UpdateAsync(string id, ScheduleInput input, CancellationToken ct = default) =>
        ChangeAsync(id, "schedule.updated", input.Reason, (target, setting) =>
        {
            RequireScheduled(target);
            SetCron(target, setting, input);
        }, ct);

    public Task<ScheduleView> PauseAsync(string id, string? reason, CancellationToken ct = default) =>
        ChangeAsync(id, "schedule.paused", reason, (target, _) =>
        {
            RequireScheduled(target);
            if (!target.Enabled)
                throw new ConflictException($"{target.Subject} is already paused.");
            target.Enabled = false;
        }, ct);

    public Task<ScheduleView> ResumeAsync(string id, string? reason, CancellationToken ct = default) =>
        ChangeAsync(id, "schedule.resumed", reason, (target, _) =>
        {
            RequireScheduled(target);
            if (target.Enabled)
                throw new ConflictException($"{target.Subject} is not paused.");
            target.Enabled = true;
        }, ct);

    /// <summary>Removes the schedule of a monitor or spec (the row itself stays: nothing governed is deleted). Built-in jobs can only be paused.</summary>
    public async Task DeleteAsync(string id, string? reason, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var key = ScheduleId.Parse(id);
        if (key.IsBuiltIn)
            throw new ConflictException($"{key} is a built-in job: pause it instead of deleting it.");
        await ApplyAsync(key, "schedule.deleted", ScheduleRules.Reason(reason), actor.Current.Name, (target, _) =>
        {
            RequireScheduled(target);
            target.Cron = null;
        }, ct);
    }

    /// <summary>"Run now": queues the recurring job once, outside its schedule; returns the job id.</summary>
    public async Task<string> TriggerAsync(string id, string? reason, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var why = ScheduleRules.Reason(reason);
        var view = await GetAsync(id, ct);
        if (!view.Enabled)
            throw new ConflictException($"{view.Subject} is paused; resume it before running it now.");
        var key = ScheduleId.Parse(id);
        var jobId = jobs.Trigger(key) ?? throw new ConflictException($"{view.Subject} is not registered with the job system yet; save its schedule again.");
        await audit.RecordAsync("schedule.triggered", "schedule", key.ToString(), why, [new AuditChange("schedule", key.ToString(), "triggeredJobId", null, jobId)], ct: ct);
        return jobId;
    }

    public async Task<IReadOnlyList<ScheduleRun>> HistoryAsync(string id, int count, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var key = ScheduleId.Parse(id);
        await using (var db = await contexts.CreateDbContextAsync(ct))
            await ScheduleTargets.LoadAsync(db, key, builtIns, actor.Current.Name, time.GetUtcNow().UtcDateTime, ct); // 404 for a missing subject
        return jobs.History(key, Math.Clamp(count, 1, 100));
    }

    private async Task<ScheduleView> ChangeAsync(string id, string action, string? reason, Action<ScheduleTarget, ScheduleSetting> change, CancellationToken ct)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var key = ScheduleId.Parse(id);
        var why = ScheduleRules.Reason(reason);
        await ApplyAsync(key, action, why, actor.Current.Name, change, ct);
        return await GetAsync(key.ToString(), ct);
    }

    /// <summary>Loads the owner, changes it, saves with one audit event, then brings the job system in line.</summary>
    internal async Task ApplyAsync(ScheduleId id, string action, string reason, string user, Action<ScheduleTarget, ScheduleSetting> change, CancellationToken ct,
        Func<ControlPlaneDbContext, ScheduleTarget, Task>? alsoSave = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var target = await ScheduleTargets.LoadAsync(db, id, builtIns, user, now, ct);
        var setting = await ScheduleTargets.SettingAsync(db, id, user, now, ct);
        change(target, setting);
        target.Touch(user, now);
        if (alsoSave is not null)
            await alsoSave(db, target);
        try
        {
            using (AuditAmbient.BeginAction(action, "schedule", id.ToString(), reason))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two first edits of the same schedule both insert its setting row; the later one loses like a stale edit.
            throw new ConflictException($"{target.Subject} was changed by someone else; reload and try again.");
        }
        Sync(target, setting.Misfire);
    }

    internal void Sync(ScheduleTarget target, MisfirePolicy misfire)
    {
        if (target.Cron is { } cron && target.Enabled)
            jobs.AddOrUpdate(target.Id, cron, ScheduleRules.TimeZone(target.TimeZone), misfire);
        else
            jobs.Remove(target.Id);
    }

    private void SetCron(ScheduleTarget target, ScheduleSetting setting, ScheduleInput input)
    {
        ScheduleRules.Cron(input.Cron, options.Value);
        target.TimeZone = ScheduleRules.TimeZone(input.TimeZone).Id;
        target.Cron = input.Cron!.Trim();
        if (input.Misfire is { } misfire)
            setting.Misfire = misfire;
    }

    private static void RequireScheduled(ScheduleTarget target)
    {
        if (target.Cron is null)
            throw new NotFoundException($"{target.Subject} has no schedule.");
    }

    private static ScheduleView View(ScheduleTarget t, MisfirePolicy misfire, RecurringJobState? state, ScheduleRun? lastFinished, ScheduleRun? targetRun, DateTimeOffset now)
    {
        var cron = t.Cron ?? "";
        var (lastRun, outcome, jobId) = state is not null
            ? (state.LastRunUtc, state.LastOutcome, state.LastJobId)
            : (lastFinished?.AtUtc, lastFinished?.State, lastFinished?.JobId);
        // A run started by hand is a run too: when it is newer than what the job system last ran, it is the last run.
        if (targetRun is not null && (lastRun is null || targetRun.AtUtc > lastRun))
            (lastRun, outcome, jobId) = (targetRun.AtUtc, targetRun.State, targetRun.JobId.Length > 0 ? targetRun.JobId : jobId);
        return new ScheduleView(t.Id.ToString(), t.Id.Kind, t.Subject, t.Link, cron, CronDescriber.Describe(cron), t.TimeZone, t.Enabled, misfire,
            t.Enabled ? ScheduleRules.NextRun(cron, t.TimeZone, now) : null, lastRun, outcome, jobId, t.Id.IsBuiltIn, t.Note);
    }
}
