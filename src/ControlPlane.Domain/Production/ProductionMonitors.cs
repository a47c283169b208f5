using ControlPlane.Domain.Registry.Permissions;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Production;

/// <summary>
/// A model's production monitors and their windows. Every role reads; the model's owner (a data scientist) or an admin
/// creates monitors, and changes them together with the monitor's owner. A token limited to other models stops at the
/// model's lookup; a token without the write scope changes nothing.
/// </summary>
public sealed class ProductionMonitors(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IJobScheduler jobs,
    AuditLog audit,
    IActorContext actor,
    TimeProvider time,
    ILogger<ProductionMonitors> logger)
{
    private static readonly string[] Writers = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

    public async Task<ProductionMonitorView> CreateAsync(string model, ProductionMonitorRequest request, CancellationToken ct = default)
    {
        RequireWriter();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        await RequireChangerAsync(db, registered, null, ct);
        var name = RegistryRules.ResourceName(request.Name, "monitor");
        if (await db.ProductionMonitors.AnyAsync(m => m.ModelId == registered.Id && m.NormalizedName == name.ToUpperInvariant(), ct))
            throw new ConflictException($"Model '{registered.Name}' already has a production monitor named '{name}'.");
        var now = time.GetUtcNow().UtcDateTime;
        var monitor = new ProductionMonitor
        {
            Id = Guid.CreateVersion7(), ModelId = registered.Id, Name = name, NormalizedName = name.ToUpperInvariant(), TargetValue = "",
            Settings = "{}", Owner = actor.Current.Name, CreatedAtUtc = now, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        };
        await ApplyAsync(db, registered, monitor, request, ct);
        db.ProductionMonitors.Add(monitor);
        using (AuditAmbient.BeginAction("productionMonitor.created", "productionMonitor", monitor.Id.ToString(), $"{registered.Name}/{name}"))
            await db.SaveChangesAsync(ct);
        return await GetAsync(registered.Name, monitor.Id.ToString(), ct);
    }

    /// <summary>
    /// Replaces the definition; refused (409) when <see cref="ProductionMonitorRequest.ConcurrencyStamp"/> is not the
    /// stored one. A change to what the windows hold (<see cref="WindowDefinition"/>) queues their recompute.
    /// </summary>
    public async Task<ProductionMonitorView> UpdateAsync(string model, string monitorKey, ProductionMonitorRequest request, CancellationToken ct = default)
    {
        RequireWriter();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var monitor = await FindAsync(db.ProductionMonitors, registered, monitorKey, ct);
        await RequireChangerAsync(db, registered, monitor, ct);
        RequireStamp(monitor, request.ConcurrencyStamp);
        var name = RegistryRules.ResourceName(request.Name, "monitor");
        if (name.ToUpperInvariant() != monitor.NormalizedName
            && await db.ProductionMonitors.AnyAsync(m => m.ModelId == registered.Id && m.NormalizedName == name.ToUpperInvariant(), ct))
            throw new ConflictException($"Model '{registered.Name}' already has a production monitor named '{name}'.");
        monitor.Name = name;
        monitor.NormalizedName = name.ToUpperInvariant();
        var definition = WindowDefinition.Of(monitor);
        await ApplyAsync(db, registered, monitor, request, ct);
        await SaveChangeAsync(db, monitor, "productionMonitor.updated", ct);
        // The stored windows were judged by the old definition: their stamps no longer match, so the job recomputes them.
        if (monitor.Enabled && WindowDefinition.Of(monitor) != definition)
            QueueRecompute(monitor.Id);
        return await GetAsync(registered.Name, monitor.Id.ToString(), ct);
    }

    /// <summary>Turns the monitor's windows on or off (a disabled monitor computes nothing and gates nothing).</summary>
    public async Task<ProductionMonitorView> SetEnabledAsync(string model, string monitorKey, bool enabled, Guid? concurrencyStamp, CancellationToken ct = default)
    {
        RequireWriter();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var monitor = await FindAsync(db.ProductionMonitors, registered, monitorKey, ct);
        await RequireChangerAsync(db, registered, monitor, ct);
        RequireStamp(monitor, concurrencyStamp);
        monitor.Enabled = enabled;
        await SaveChangeAsync(db, monitor, enabled ? "productionMonitor.enabled" : "productionMonitor.disabled", ct);
        return await GetAsync(registered.Name, monitor.Id.ToString(), ct);
    }

    public async Task<IReadOnlyList<ProductionMonitorView>> ListAsync(string model, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var ids = await db.ProductionMonitors.AsNoTracking().Where(m => m.ModelId == registered.Id).OrderBy(m => m.NormalizedName).Select(m => m.Id).ToListAsync(ct);
        return await ViewsAsync(db, registered, ids, ct);
    }

    /// <param name="monitorKey">The monitor's id or its name (unique within the model).</param>
    public async Task<ProductionMonitorView> GetAsync(string model, string monitorKey, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var monitor = await FindAsync(db.ProductionMonitors.AsNoTracking(), registered, monitorKey, ct);
        return (await ViewsAsync(db, registered, [monitor.Id], ct)).Single();
    }

    /// <summary>The monitor's windows, newest first, optionally those starting within [from, to).</summary>
    public async Task<Page<ProductionWindowView>> ListWindowsAsync(string model, string monitorKey, PageRequest page, DateTime? from = null, DateTime? to = null, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        if (from is { } f && to is { } t && f.ToUniversalTime() >= t.ToUniversalTime())
            throw ProductionMonitorRules.Invalid("from", "'from' is before 'to'.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var monitor = await FindAsync(db.ProductionMonitors.AsNoTracking(), registered, monitorKey, ct);
        var query = db.ProductionWindows.AsNoTracking().Where(w => w.MonitorId == monitor.Id);
        if (from is { } start)
        {
            var utc = start.ToUniversalTime();
            query = query.Where(w => w.StartUtc >= utc);
        }
        if (to is { } end)
        {
            var utc = end.ToUniversalTime();
            query = query.Where(w => w.StartUtc < utc);
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(w => w.StartUtc).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return new Page<ProductionWindowView>(rows.Select(View).ToList(), total);
    }

    /// <summary>The latest window's features weighed by the serving version's importance; null before the first window.</summary>
    public async Task<Explainability.DriftAttributionView?> LatestAttributionAsync(string model, string monitorKey, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var monitor = await FindAsync(db.ProductionMonitors.AsNoTracking(), registered, monitorKey, ct);
        var latest = await db.ProductionWindows.AsNoTracking().Where(w => w.MonitorId == monitor.Id && w.Predictions > 0)
            .OrderByDescending(w => w.StartUtc).Select(w => w.Results).FirstOrDefaultAsync(ct);
        return latest is null ? null : await Explainability.WindowAttribution.ForAsync(db, registered.Id, ProductionWindowResult.FromJson(latest), ct);
    }

    /// <summary>"Compute now": queues the monitor's windows job (idempotent: windows whose inputs did not change stay).</summary>
    public async Task<string> ComputeNowAsync(string model, string monitorKey, CancellationToken ct = default)
    {
        RequireWriter();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var monitor = await FindAsync(db.ProductionMonitors.AsNoTracking(), registered, monitorKey, ct);
        if (!monitor.Enabled)
            throw new ConflictException($"Production monitor '{monitor.Name}' is disabled; enable it first.");
        await audit.RecordAsync("productionMonitor.compute_requested", "productionMonitor", monitor.Id.ToString(), $"{registered.Name}/{monitor.Name}", ct: ct);
        return jobs.EnqueueProductionWindows(monitor.Id);
    }

    // The change has committed; the recurring windows job recomputes the stale windows anyway (their stamps differ), so
    // a queue that refuses only delays that and must not turn a saved change into an error.
    private void QueueRecompute(Guid monitorId)
    {
        try
        {
            jobs.EnqueueProductionWindows(monitorId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Production monitor {MonitorId} changed; queuing its windows' recompute failed, the recurring job will do it", monitorId);
        }
    }

        private void RequireWriter()
    {
        actor.Current.RequireAnyRole(Writers);
        actor.Current.RequireScope(TokenScopes.Write);
    }

    private bool IsOwner(string owner) => string.Equals(owner, actor.Current.Name, StringComparison.OrdinalIgnoreCase);

    // Its windows are promotion evidence: only the model's owners, the monitor's owner or an admin changes what it
    // watches (adds one: owners and admins), and a restriction of the model's monitors narrows that further.
    private async Task RequireChangerAsync(ControlPlaneDbContext db, RegisteredModel model, ProductionMonitor? monitor, CancellationToken ct)
    {
        var rules = await ModelPermissionCheck.RulesAsync(db, model, ct);
        if (!actor.Current.IsInRole(ControlPlaneRoles.Admin) && !rules.IsOwner(actor.Current.Name) && !(monitor is not null && IsOwner(monitor.Owner)))
            throw new ForbiddenException(monitor is null
                ? $"Model '{model.Name}' belongs to {string.Join(", ", rules.Owners)}; only its owners or an admin add production monitors to it."
                : $"Production monitor '{monitor.Name}' belongs to {monitor.Owner} (model owners {string.Join(", ", rules.Owners)}); only they or an admin can change it.");
        await ModelPermissionCheck.RequireAsync(db, actor.Current, model, ModelAction.EditMonitors, ct);
    }

    private static void RequireStamp(ProductionMonitor monitor, Guid? stamp)
    {
        if (stamp is { } read && read != monitor.ConcurrencyStamp)
            throw new ConflictException($"Production monitor '{monitor.Name}' was changed by someone else; reload and try again.");
    }

    private async Task SaveChangeAsync(ControlPlaneDbContext db, ProductionMonitor monitor, string action, CancellationToken ct)
    {
        monitor.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        monitor.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            using (AuditAmbient.BeginAction(action, "productionMonitor", monitor.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"Production monitor '{monitor.Name}' was changed by someone else; reload and try again.");
        }
    }

    private async Task ApplyAsync(ControlPlaneDbContext db, RegisteredModel model, ProductionMonitor monitor, ProductionMonitorRequest request, CancellationToken ct)
    {
        monitor.Description = RegistryRules.Text(request.Description, 4000, "description");
        if (!Enum.IsDefined(request.WindowSize))
            throw ProductionMonitorRules.Invalid("windowSize", $"The window size is one of {string.Join(", ", Enum.GetNames<ProductionWindowSize>())}.");
        monitor.WindowSize = request.WindowSize;
        (monitor.Target, monitor.TargetValue) = (request.Target, await TargetAsync(db, model, request.Target, request.TargetValue, ct));
        monitor.ReferenceDatasetVersionId = null;
        if (request.Reference is { } reference)
        {
            var dataset = await DatasetCatalog.FindAsync(db.Datasets.AsNoTracking(), reference.Name, ct);
            monitor.ReferenceDatasetVersionId = (await DatasetCatalog.FindVersionAsync(db.DatasetVersions.AsNoTracking(), dataset, reference.Version, ct)).Id;
        }
        var settings = request.Settings ?? new ProductionMonitorSettings();
        ProductionMonitorRules.Validate(settings);
        monitor.Settings = settings.ToJson();
        if (request.RetrainSpecId is { } spec && !await db.TrainingSpecs.AnyAsync(s => s.Id == spec && s.ModelId == model.Id, ct))
            throw ProductionMonitorRules.Invalid("retrainSpecId", $"Model '{model.Name}' has no training spec {spec}.");
        monitor.RetrainSpecId = request.RetrainSpecId;
        if (request.AlertCooldownMinutes is < 0 or > ProductionMonitorRules.MaxCooldownMinutes)
            throw ProductionMonitorRules.Invalid("alertCooldownMinutes", "The alert cool-down is between 0 minutes and 30 days.");
        monitor.AlertCooldownMinutes = request.AlertCooldownMinutes;
        monitor.Enabled = request.Enabled;
    }

    /// <summary>The target in its stored form: an alias that exists, a stage's name, or version numbers that exist ("1,3").</summary>
    private static async Task<string> TargetAsync(ControlPlaneDbContext db, RegisteredModel model, ProductionTarget target, string? value, CancellationToken ct)
    {
        var text = (value ?? "").Trim();
        switch (target)
        {
            case ProductionTarget.Alias:
                var alias = await db.Aliases.AsNoTracking().Where(a => a.ModelId == model.Id).Select(a => a.Name).ToListAsync(ct);
                return alias.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
                    ?? throw ProductionMonitorRules.Invalid("targetValue", $"Model '{model.Name}' has no alias '{text}'.");
            case ProductionTarget.Stage:
                return Enum.TryParse<LifecycleStage>(text, ignoreCase: true, out var stage) && stage is LifecycleStage.Staging or LifecycleStage.Production
                    && !int.TryParse(text, out _)
                    ? stage.ToString()
                    : throw ProductionMonitorRules.Invalid("targetValue", "The stage is Staging or Production.");
            case ProductionTarget.Versions:
                var numbers = new SortedSet<int>();
                foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
                        throw ProductionMonitorRules.Invalid("targetValue", $"'{part}' is not a version number.");
                    numbers.Add(number);
                }
                if (numbers.Count == 0)
                    throw ProductionMonitorRules.Invalid("targetValue", "List the version numbers the monitor watches, e.g. \"3,4\".");
                var list = numbers.ToList();
                var existing = await db.Versions.AsNoTracking().Where(v => v.ModelId == model.Id && list.Contains(v.Number)).Select(v => v.Number).ToListAsync(ct);
                if (list.Except(existing).FirstOrDefault() is var missing and > 0)
                    throw ProductionMonitorRules.Invalid("targetValue", $"Model '{model.Name}' has no version {missing}.");
                return string.Join(',', list);
            default:
                throw ProductionMonitorRules.Invalid("target", $"The target is one of {string.Join(", ", Enum.GetNames<ProductionTarget>())}.");
        }
    }

    private async Task<RegisteredModel> FindModelAsync(ControlPlaneDbContext db, string model, CancellationToken ct)
    {
        var registered = await ModelRegistry.FindModelAsync(db.Models, model, ct);
        actor.Current.RequireModel(registered.Name);
        return registered;
    }

    private static async Task<ProductionMonitor> FindAsync(IQueryable<ProductionMonitor> monitors, RegisteredModel model, string key, CancellationToken ct)
    {
        var normalized = (key ?? "").Trim().ToUpperInvariant();
        var query = Guid.TryParse(key, out var id)
            ? monitors.Where(m => m.ModelId == model.Id && (m.Id == id || m.NormalizedName == normalized))
            : monitors.Where(m => m.ModelId == model.Id && m.NormalizedName == normalized);
        return await query.FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Model '{model.Name}' has no production monitor '{key}'.");
    }

    private static async Task<List<ProductionMonitorView>> ViewsAsync(ControlPlaneDbContext db, RegisteredModel model, List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.ProductionMonitors.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new
        {
            Monitor = m,
            ReferenceName = m.ReferenceDatasetVersion == null ? null : m.ReferenceDatasetVersion.Dataset!.Name,
            ReferenceNumber = m.ReferenceDatasetVersion == null ? 0 : m.ReferenceDatasetVersion.Number,
            Spec = db.TrainingSpecs.Where(s => s.Id == m.RetrainSpecId).Select(s => s.Name).FirstOrDefault(),
        }).ToListAsync(ct);
        var views = new List<ProductionMonitorView>();
        foreach (var r in rows.OrderBy(r => r.Monitor.NormalizedName, StringComparer.Ordinal))
        {
            var m = r.Monitor;
            var latest = await db.ProductionWindows.AsNoTracking().Where(w => w.MonitorId == m.Id).OrderByDescending(w => w.StartUtc)
                .Select(w => new { w.StartUtc, w.EndUtc, w.ComputedAtUtc, w.Predictions, w.Labelled, w.Errors, w.Health, w.Breaches }).FirstOrDefaultAsync(ct);
            views.Add(new ProductionMonitorView(m.Id, model.Name, m.Name, m.Description, m.Target, m.TargetValue, m.WindowSize,
                r.ReferenceName is null ? null : new DatasetRef(r.ReferenceName, r.ReferenceNumber), ProductionMonitorSettings.FromJson(m.Settings),
                m.Enabled, m.RetrainSpecId, r.Spec, m.AlertCooldownMinutes, m.Owner, m.CreatedAtUtc, m.UpdatedAtUtc, m.ConcurrencyStamp,
                latest is null ? null : new ProductionWindowSummary(latest.StartUtc, latest.EndUtc, latest.ComputedAtUtc, latest.Predictions,
                    latest.Labelled, latest.Errors, latest.Health, SplitBreaches(latest.Breaches))));
        }
        return views;
    }

    private static ProductionWindowView View(ProductionWindow w) =>
        new(w.Id, w.StartUtc, w.EndUtc, w.ComputedAtUtc, w.Predictions, w.Labelled, w.Errors, w.Health, SplitBreaches(w.Breaches), ProductionWindowResult.FromJson(w.Results));

    private static IReadOnlyList<string> SplitBreaches(string breaches) => breaches.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
