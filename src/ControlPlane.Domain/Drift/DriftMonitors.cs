using ControlPlane.Domain.Registry.Permissions;
using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Webhooks;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Drift;

/// <summary>Drift monitors and their runs. Data scientists and admins create, edit and run monitors; every role reads.</summary>
public sealed class DriftMonitors(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IJobScheduler jobs,
    Microsoft.Extensions.Options.IOptions<Schedules.ScheduleOptions> scheduleOptions,
    IDataProtectionProvider protection,
    Webhooks.WebhookAddresses webhookAddresses,
    IActorContext actor,
    TimeProvider time)
{
    public const string WebhookPurpose = WebhookEvents.SecretPurpose;
    private static readonly string[] Writers = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

    public async Task<DriftMonitorView> CreateAsync(DriftMonitorRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        var name = RegistryRules.ResourceName(request.Name, "monitor");
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.DriftMonitors.AnyAsync(m => m.NormalizedName == name.ToUpperInvariant(), ct))
            throw new ConflictException($"A monitor named '{name}' already exists.");
        var now = time.GetUtcNow().UtcDateTime;
        var monitor = new DriftMonitor
        {
            Id = Guid.CreateVersion7(), Name = name, NormalizedName = name.ToUpperInvariant(), Settings = "{}", Owner = actor.Current.Name,
            CreatedAtUtc = now, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        };
        await ApplyAsync(db, monitor, request, ct);
        Schedules.ScheduleChanges.RequireAllowed(actor.Current, scheduleOptions.Value, null, (monitor.Schedule, monitor.TimeZone, monitor.Enabled));
        db.DriftMonitors.Add(monitor);
        using (AuditAmbient.BeginAction("driftMonitor.created", "driftMonitor", monitor.Id.ToString()))
            await db.SaveChangesAsync(ct);
        Schedule(monitor);
        return await GetAsync(monitor.Id, ct);
    }

    /// <summary>Replaces a monitor's definition; a null webhook secret keeps the stored one.</summary>
    public async Task<DriftMonitorView> UpdateAsync(Guid id, DriftMonitorRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var monitor = await db.DriftMonitors.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw Missing(id);
        // Its verdicts are promotion evidence: only its owner or an admin changes what it watches or whether it runs.
        if (!string.Equals(monitor.Owner, actor.Current.Name, StringComparison.OrdinalIgnoreCase) && !actor.Current.IsInRole(ControlPlaneRoles.Admin))
            throw new ForbiddenException($"Monitor '{monitor.Name}' belongs to {monitor.Owner}; only its owner or an admin can change it.");
        // Moving a monitor off a model whose monitors are restricted is editing that model's monitor too.
        if (monitor.ModelVersionId is { } watched)
        {
            var watchedModel = await db.Versions.AsNoTracking().Where(v => v.Id == watched).Select(v => v.Model!).SingleAsync(ct);
            await ModelPermissionCheck.RequireAsync(db, actor.Current, watchedModel, ModelAction.EditMonitors, ct);
        }
        var name = RegistryRules.ResourceName(request.Name, "monitor");
        if (name.ToUpperInvariant() != monitor.NormalizedName && await db.DriftMonitors.AnyAsync(m => m.NormalizedName == name.ToUpperInvariant(), ct))
            throw new ConflictException($"A monitor named '{name}' already exists.");
        monitor.Name = name;
        monitor.NormalizedName = name.ToUpperInvariant();
        var before = (monitor.Schedule, monitor.TimeZone, monitor.Enabled);
        await ApplyAsync(db, monitor, request, ct);
        Schedules.ScheduleChanges.RequireAllowed(actor.Current, scheduleOptions.Value, before, (monitor.Schedule, monitor.TimeZone, monitor.Enabled));
        monitor.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        monitor.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            using (AuditAmbient.BeginAction("driftMonitor.updated", "driftMonitor", monitor.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"Monitor '{monitor.Name}' was changed by someone else; reload and try again.");
        }
        Schedule(monitor);
        return await GetAsync(monitor.Id, ct);
    }

    public async Task<Page<DriftMonitorView>> ListAsync(PageRequest page, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.DriftMonitors.AsNoTracking().Search(page);
        var total = await query.CountAsync(ct);
        var ids = await query.OrderBy(m => m.NormalizedName).Skip(page.Skip).Take(page.Take).Select(m => m.Id).ToListAsync(ct);
        return new Page<DriftMonitorView>(await ViewsAsync(db, ids, ct), total);
    }

    public async Task<DriftMonitorView> GetAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, [id], ct)).SingleOrDefault() ?? throw Missing(id);
    }

    /// <summary>"Run now": queues a run whose current data is resolved when it starts.</summary>
    public async Task<DriftRunView> RunNowAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        return await QueueRunAsync(id, "manual", actor.Current.Name, ct);
    }

    /// <summary>The schedule's entry point (no user): queues a run unless the monitor is disabled or gone.</summary>
    public async Task<DriftRunView?> RunScheduledAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // A model on hold pauses the schedules of the monitors watching it; the run is skipped, not queued for later.
        if (!await db.DriftMonitors.AnyAsync(m => m.Id == id && m.Enabled && (m.ModelVersion == null || !m.ModelVersion.Model!.OnHold), ct))
            return null;
        return await QueueRunAsync(id, "schedule", "system", ct);
    }

    public async Task<DriftRunView> GetRunAsync(Guid runId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = (await RunViewsAsync(db, db.DriftRuns.AsNoTracking().Where(r => r.Id == runId), includeResults: true, ct)).SingleOrDefault()
            ?? throw new NotFoundException($"Drift run {runId} does not exist.");
        return run with { Attribution = await Explainability.DriftRunAttribution.ForAsync(db, run.MonitorId, run.Results, ct) };
    }

    /// <summary>A run's columns weighed by the monitor's model version's importance; null while it has no results.</summary>
    public async Task<Explainability.DriftAttributionView?> AttributionAsync(Guid runId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.DriftRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.MonitorId, r.Results }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Drift run {runId} does not exist.");
        return run.Results is null ? null
            : await Explainability.DriftRunAttribution.ForAsync(db, run.MonitorId, JsonSerializer.Deserialize<JsonElement>(run.Results), ct);
    }

    /// <summary>A monitor's runs, newest first, optionally within [from, to) by request time; results included for charts.</summary>
    public async Task<Page<DriftRunView>> ListRunsAsync(Guid id, PageRequest page, DateTime? from = null, DateTime? to = null, bool includeResults = false, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.DriftMonitors.AnyAsync(m => m.Id == id, ct))
            throw Missing(id);
        var query = db.DriftRuns.AsNoTracking().Where(r => r.MonitorId == id);
        if (from is { } f)
            query = query.Where(r => r.RequestedAtUtc >= f.ToUniversalTime());
        if (to is { } t)
            query = query.Where(r => r.RequestedAtUtc < t.ToUniversalTime());
        var total = await query.CountAsync(ct);
        var rows = await RunViewsAsync(db, query.OrderByDescending(r => r.RequestedAtUtc).Skip(page.Skip).Take(page.Take), includeResults, ct);
        return new Page<DriftRunView>(rows, total);
    }

    public async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(Guid id, int count, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.MonitorId == id).OrderByDescending(d => d.CreatedAtUtc).Take(Math.Clamp(count, 1, 200))
            .Select(d => new WebhookDeliveryView(d.Id, d.Event, d.RunId, d.Url, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAtUtc, d.DeliveredAtUtc))
            .ToListAsync(ct);
    }

    private async Task<DriftRunView> QueueRunAsync(Guid id, string trigger, string requestedBy, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var monitor = await db.DriftMonitors.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw Missing(id);
        var run = new DriftRun
        {
            Id = Guid.CreateVersion7(), MonitorId = monitor.Id, ReferenceDatasetVersionId = monitor.ReferenceDatasetVersionId,
            CurrentDatasetVersionId = monitor.CurrentDatasetVersionId, Trigger = trigger, Status = DriftRunStatus.Queued,
            RequestedBy = requestedBy, RequestedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.DriftRuns.Add(run);
        using (AuditAmbient.BeginAction("driftRun.requested", "driftRun", run.Id.ToString(), $"{monitor.Name} ({trigger})"))
            await db.SaveChangesAsync(ct);
        run.JobId = jobs.EnqueueDriftRun(run.Id);
        await db.SaveChangesAsync(ct);
        return (await RunViewsAsync(db, db.DriftRuns.AsNoTracking().Where(r => r.Id == run.Id), includeResults: false, ct)).Single();
    }

    private async Task ApplyAsync(ControlPlaneDbContext db, DriftMonitor monitor, DriftMonitorRequest request, CancellationToken ct)
    {
        monitor.Description = RegistryRules.Text(request.Description, 4000, "description");
        var reference = await FindVersionAsync(db, request.Reference, "reference", ct);
        monitor.ReferenceDatasetVersionId = reference.Id;
        (monitor.CurrentDatasetId, monitor.CurrentDatasetVersionId) = (request.CurrentDataset, request.CurrentDatasetVersion) switch
        {
            ({ Length: > 0 } dataset, null) => ((Guid?)(await DatasetCatalog.FindAsync(db.Datasets.AsNoTracking(), dataset, ct)).Id, (Guid?)null),
            (null or "", { } fixedVersion) => (null, (await FindVersionAsync(db, fixedVersion, "currentDatasetVersion", ct)).Id),
            _ => throw Invalid("currentDataset", "Name the current data either as a dataset (its latest version is used) or as one fixed version, not both."),
        };
        monitor.ModelVersionId = null;
        if (request.Model is { Length: > 0 } model)
        {
            var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
            await ModelPermissionCheck.RequireAsync(db, actor.Current, registered, ModelAction.EditMonitors, ct);
            monitor.ModelVersionId = (await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), registered,
                request.ModelVersion ?? throw Invalid("modelVersion", "Name the model version the monitor watches."), ct)).Id;
        }
        var settings = request.Settings ?? new DriftMonitorSettings();
        DriftRules.Validate(settings, DatasetColumn.FromJson(reference.Schema));
        monitor.Settings = settings.ToJson();
        monitor.TimeZone = DriftRules.TimeZone(request.TimeZone).Id;
        monitor.Schedule = string.IsNullOrWhiteSpace(request.Schedule) ? null : request.Schedule.Trim();
        if (monitor.Schedule is { } cron)
            Schedules.ScheduleRules.Cron(cron, scheduleOptions.Value, "schedule"); // before the save: a bad expression stores nothing
        monitor.Enabled = request.Enabled;
        monitor.WebhookUrl = webhookAddresses.Validate(request.WebhookUrl, "webhookUrl");
        if (request.WebhookSecret is { } secret)
            monitor.WebhookSecretProtected = secret.Length == 0 ? null : protection.CreateProtector(WebhookPurpose).Protect(secret);
        if (request.AlertCooldownMinutes is < 0 or > 60 * 24 * 30)
            throw Invalid("alertCooldownMinutes", "The alert cool-down is between 0 minutes and 30 days.");
        monitor.AlertCooldownMinutes = request.AlertCooldownMinutes;
    }

    private void Schedule(DriftMonitor monitor)
    {
        if (monitor.Schedule is { } cron && monitor.Enabled)
        {
            try
            {
                jobs.ScheduleDriftMonitor(monitor.Id, cron, DriftRules.TimeZone(monitor.TimeZone));
            }
            catch (ArgumentException e)
            {
                // The monitor is saved; say why its schedule is not, so the user can fix it.
                throw Invalid("schedule", $"The monitor was saved but '{cron}' is not a valid cron expression: {e.Message}");
            }
        }
        else
            jobs.UnscheduleDriftMonitor(monitor.Id);
    }

    private static async Task<DatasetVersion> FindVersionAsync(ControlPlaneDbContext db, DatasetRef reference, string field, CancellationToken ct)
    {
        if (reference is null)
            throw Invalid(field, "Name a dataset version: {\"name\": …, \"version\": …}.");
        var dataset = await DatasetCatalog.FindAsync(db.Datasets.AsNoTracking(), reference.Name, ct);
        return await DatasetCatalog.FindVersionAsync(db.DatasetVersions.AsNoTracking(), dataset, reference.Version, ct);
    }

    private static async Task<List<DriftMonitorView>> ViewsAsync(ControlPlaneDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.DriftMonitors.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new
        {
            Monitor = m,
            Model = m.ModelVersion == null ? null : m.ModelVersion.Model!.Name,
            ModelNumber = m.ModelVersion == null ? (int?)null : m.ModelVersion.Number,
            ReferenceName = m.ReferenceDatasetVersion!.Dataset!.Name,
            ReferenceNumber = m.ReferenceDatasetVersion.Number,
            CurrentName = m.CurrentDataset == null ? null : m.CurrentDataset.Name,
            FixedName = m.CurrentDatasetVersion == null ? null : m.CurrentDatasetVersion.Dataset!.Name,
            FixedNumber = m.CurrentDatasetVersion == null ? (int?)null : m.CurrentDatasetVersion.Number,
        }).ToListAsync(ct);
        return rows.OrderBy(r => r.Monitor.NormalizedName, StringComparer.Ordinal).Select(r =>
        {
            var m = r.Monitor;
            return new DriftMonitorView(m.Id, m.Name, m.Description, r.Model, r.ModelNumber, new DatasetRef(r.ReferenceName, r.ReferenceNumber),
                r.CurrentName, r.FixedName is null ? null : new DatasetRef(r.FixedName, r.FixedNumber!.Value), DriftMonitorSettings.FromJson(m.Settings),
                m.Schedule, m.TimeZone, m.Enabled, m.WebhookUrl, m.WebhookSecretProtected is not null, m.AlertCooldownMinutes, m.LastRunId,
                m.LastRunAtUtc, m.LastRunDrifted, m.Owner, m.CreatedAtUtc, m.UpdatedAtUtc);
        }).ToList();
    }

    private static async Task<List<DriftRunView>> RunViewsAsync(ControlPlaneDbContext db, IQueryable<DriftRun> runs, bool includeResults, CancellationToken ct)
    {
        var rows = await RunRows(runs).ToListAsync(ct);
        var runIds = rows.Select(r => r.Id).ToList();
        var results = includeResults
            ? await db.DriftRuns.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.Results != null).ToDictionaryAsync(r => r.Id, r => r.Results!, ct)
            : [];
        // The data each run compared, by id: the reference it was queued with and the current version it resolved.
        var ids = rows.Select(r => r.ReferenceDatasetVersionId)
            .Concat(rows.Where(r => r.CurrentDatasetVersionId is not null).Select(r => r.CurrentDatasetVersionId!.Value)).Distinct().ToList();
        var names = await db.DatasetVersions.AsNoTracking().Where(v => ids.Contains(v.Id))
            .Select(v => new { v.Id, v.Dataset!.Name, v.Number }).ToDictionaryAsync(v => v.Id, v => new DatasetRef(v.Name, v.Number), ct);
        return rows.Select(run => new DriftRunView(run.Id, run.MonitorId, run.Monitor, names[run.ReferenceDatasetVersionId],
            run.CurrentDatasetVersionId is { } current ? names[current] : null, run.Trigger, run.Status, run.Progress, run.Error,
            run.DatasetDrift, run.DriftShare, run.DriftedColumns,
            results.TryGetValue(run.Id, out var json) ? JsonSerializer.Deserialize<JsonElement>(json) : null,
            run.DurationMs, run.RequestedBy, run.RequestedAtUtc, run.StartedAtUtc, run.CompletedAtUtc)).ToList();
    }

    /// <summary>Every column of a run but <see cref="DriftRun.Results"/>, which can be megabytes a run and is read only when asked for.</summary>
    internal static IQueryable<DriftRunRow> RunRows(IQueryable<DriftRun> runs) => runs.Select(r => new DriftRunRow(
        r.Id, r.MonitorId, r.Monitor!.Name, r.ReferenceDatasetVersionId, r.CurrentDatasetVersionId, r.Trigger, r.Status, r.Progress, r.Error,
        r.DatasetDrift, r.DriftShare, r.DriftedColumns, r.DurationMs, r.RequestedBy, r.RequestedAtUtc, r.StartedAtUtc, r.CompletedAtUtc));

    internal sealed record DriftRunRow(
        Guid Id, Guid MonitorId, string Monitor, Guid ReferenceDatasetVersionId, Guid? CurrentDatasetVersionId, string Trigger, DriftRunStatus Status,
        double Progress, string? Error, bool? DatasetDrift, double? DriftShare, int? DriftedColumns, long? DurationMs, string RequestedBy,
        DateTime RequestedAtUtc, DateTime? StartedAtUtc, DateTime? CompletedAtUtc);

    private static NotFoundException Missing(Guid id) => new($"Drift monitor {id} does not exist.");

    private static ValidationException Invalid(string field, string message) => new(message, new Dictionary<string, string[]> { [field] = [message] });
}
