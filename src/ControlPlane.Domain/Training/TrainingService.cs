using ControlPlane.Domain.Registry.Permissions;
using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Training;

/// <summary>Training specs and their runs. Data scientists and admins write and start runs; every role reads.</summary>
public sealed class TrainingService(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IJobScheduler jobs,
    Microsoft.Extensions.Options.IOptions<Schedules.ScheduleOptions> scheduleOptions,
    IActorContext actor,
    TimeProvider time)
{
    private static readonly string[] Writers = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

    public async Task<TrainingSpecView> CreateSpecAsync(TrainingSpecRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), request.Model, ct);
        await ModelPermissionCheck.RequireAsync(db, actor.Current, model, ModelAction.EditSpecs, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var spec = new TrainingSpec
        {
            Id = Guid.CreateVersion7(), ModelId = model.Id, Name = "", LabelColumn = "", Features = "[]", Trainer = "", Hyperparameters = "{}",
            Hash = "", Owner = actor.Current.Name, CreatedAtUtc = now, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        };
        await ApplyAsync(db, spec, request, ct);
        Schedules.ScheduleChanges.RequireAllowed(actor.Current, scheduleOptions.Value, null, (spec.Schedule, spec.TimeZone, spec.Enabled));
        db.TrainingSpecs.Add(spec);
        Schedule(spec);
        try
        {
            using (AuditAmbient.BeginAction("trainingSpec.created", "trainingSpec", spec.Id.ToString(), $"{model.Name}/{spec.Name}"))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            jobs.UnscheduleTrainingSpec(spec.Id);
            throw;
        }
        return await GetSpecAsync(spec.Id, ct);
    }

    /// <summary>Replaces a spec's definition (its model stays). A stale <see cref="TrainingSpecRequest.ConcurrencyStamp"/> is a 409.</summary>
    public async Task<TrainingSpecView> UpdateSpecAsync(Guid id, TrainingSpecRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var spec = await db.TrainingSpecs.Include(s => s.Model).SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw Missing(id);
        if (request.ConcurrencyStamp is { } stamp && stamp != spec.ConcurrencyStamp)
            throw Stale(spec);
        await ModelPermissionCheck.RequireAsync(db, actor.Current, spec.Model!, ModelAction.EditSpecs, ct);
        if (!string.Equals(request.Model?.Trim(), spec.Model!.Name, StringComparison.OrdinalIgnoreCase))
            throw Invalid("model", $"A spec stays with its model ({spec.Model.Name}); create a new spec for another model.");
        var before = (spec.Schedule, spec.Enabled, spec.TimeZone);
        await ApplyAsync(db, spec, request, ct);
        Schedules.ScheduleChanges.RequireAllowed(actor.Current, scheduleOptions.Value, (before.Schedule, before.TimeZone, before.Enabled), (spec.Schedule, spec.TimeZone, spec.Enabled));
        spec.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        spec.ConcurrencyStamp = Guid.NewGuid();
        Schedule(spec);
        try
        {
            using (AuditAmbient.BeginAction("trainingSpec.updated", "trainingSpec", spec.Id.ToString(), $"{spec.Model.Name}/{spec.Name}"))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            (spec.Schedule, spec.Enabled, spec.TimeZone) = before;
            Schedule(spec);
            if (e is DbUpdateConcurrencyException)
                throw Stale(spec);
            throw;
        }
        return await GetSpecAsync(spec.Id, ct);
    }

    /// <summary>Specs by name, optionally of one model.</summary>
    public async Task<Page<TrainingSpecView>> ListSpecsAsync(PageRequest page, string? model = null, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.TrainingSpecs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(model))
        {
            var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
            query = query.Where(s => s.ModelId == registered.Id);
        }
        var total = await query.CountAsync(ct);
        var ids = await query.OrderBy(s => s.Name).Skip(page.Skip).Take(page.Take).Select(s => s.Id).ToListAsync(ct);
        return new Page<TrainingSpecView>(await SpecViewsAsync(db, ids, ct), total);
    }

    public async Task<TrainingSpecView> GetSpecAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await SpecViewsAsync(db, [id], ct)).SingleOrDefault() ?? throw Missing(id);
    }

    /// <summary>"Train now": queues a run; its data version is resolved when it starts.</summary>
    public async Task<TrainingRunView> StartRunAsync(Guid specId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        // A run registers a version as the person who started it: refused now rather than when the run ends.
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var model = await db.TrainingSpecs.AsNoTracking().Where(s => s.Id == specId).Select(s => s.Model!).SingleOrDefaultAsync(ct) ?? throw Missing(specId);
            await ModelPermissionCheck.RequireAsync(db, actor.Current, model, ModelAction.RegisterVersions, ct);
        }
        return await QueueRunAsync(specId, TrainingTriggers.Manual, actor.Current.Name, ct);
    }

    /// <summary>The schedule's entry point (no user): queues a run unless the spec is disabled or gone, or its model is on hold.</summary>
    public async Task<TrainingRunView?> RunScheduledAsync(Guid specId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.TrainingSpecs.AnyAsync(s => s.Id == specId && s.Enabled && !s.Model!.OnHold, ct))
            return null;
        return await QueueRunAsync(specId, TrainingTriggers.Schedule, "system", ct);
    }

    /// <summary>
    /// A drift run of <paramref name="monitorId"/> found dataset drift (no user): queues a run of every enabled spec
    /// linked to the monitor, except specs that had a run requested within their cool-down.
    /// </summary>
    public async Task<IReadOnlyList<TrainingRunView>> StartForDriftAsync(Guid monitorId, CancellationToken ct = default)
    {
        List<(Guid Id, int Cooldown)> specs;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            specs = (await db.TrainingSpecs.AsNoTracking().Where(s => s.DriftMonitorId == monitorId && s.Enabled && !s.Model!.OnHold)
                .Select(s => new { s.Id, s.DriftCooldownMinutes }).ToListAsync(ct)).Select(s => (s.Id, s.DriftCooldownMinutes)).ToList();
        var started = new List<TrainingRunView>();
        foreach (var (id, cooldown) in specs)
        {
            if (await QueueRunAsync(id, TrainingTriggers.Drift, "system", ct, coolDown: TimeSpan.FromMinutes(cooldown)) is { } run)
                started.Add(run);
        }
        return started;
    }

    /// <summary>
    /// A window of production monitor <paramref name="monitorId"/> drifted (no user): queues a run of the monitor's
    /// retraining spec, on behalf of the monitor's owner, unless the spec is disabled, of another model, its model is
    /// on hold, or it had a run requested within its drift cool-down.
    /// </summary>
    public async Task<TrainingRunView?> StartForProductionDriftAsync(Guid monitorId, CancellationToken ct = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var monitor = await db.ProductionMonitors.AsNoTracking().SingleOrDefaultAsync(m => m.Id == monitorId, ct);
            if (monitor?.RetrainSpecId is not { } specId)
                return null;
            var spec = await db.TrainingSpecs.AsNoTracking()
                .Where(s => s.Id == specId && s.ModelId == monitor.ModelId && s.Enabled && !s.Model!.OnHold)
                .Select(s => new { s.Id, s.DriftCooldownMinutes }).SingleOrDefaultAsync(ct);
            if (spec is null)
                return null;
            return await QueueRunAsync(spec.Id, TrainingTriggers.Production, monitor.Owner, ct, coolDown: TimeSpan.FromMinutes(spec.DriftCooldownMinutes));
        }
    }

    /// <summary>A queued run is cancelled at once; a running one is asked to stop and stops at its next check.</summary>
    public async Task<TrainingRunView> CancelRunAsync(Guid runId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == runId, ct) ?? throw MissingRun(runId);
        if (run.Status is TrainingRunStatus.Succeeded or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled or TrainingRunStatus.TimedOut)
            throw new ConflictException($"Training run {runId} already ended ({run.Status}).");
        run.CancelRequested = true;
        if (run.Status == TrainingRunStatus.Queued)
        {
            run.Status = TrainingRunStatus.Cancelled;
            run.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        }
        run.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            using (AuditAmbient.BeginAction("trainingRun.cancel_requested", "trainingRun", run.Id.ToString(), actor.Current.Name))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"Training run {runId} changed while cancelling; reload and try again.");
        }
        return await GetRunAsync(runId, ct);
    }

    /// <summary>Runs newest first, optionally of one spec.</summary>
    public async Task<Page<TrainingRunView>> ListRunsAsync(PageRequest page, Guid? spec = null, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.TrainingRuns.AsNoTracking();
        if (spec is { } s)
            query = query.Where(r => r.SpecId == s);
        var total = await query.CountAsync(ct);
        var rows = await RunViews(query.OrderByDescending(r => r.RequestedAtUtc).Skip(page.Skip).Take(page.Take)).ToListAsync(ct);
        return new Page<TrainingRunView>(rows.Select(ToView).ToList(), total);
    }

    public async Task<TrainingRunView> GetRunAsync(Guid runId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await RunViews(db.TrainingRuns.AsNoTracking().Where(r => r.Id == runId)).ToListAsync(ct)).Select(ToView).SingleOrDefault()
            ?? throw MissingRun(runId);
    }

    private async Task<TrainingRunView> QueueRunAsync(Guid specId, string trigger, string requestedBy, CancellationToken ct) =>
        (await QueueRunAsync(specId, trigger, requestedBy, ct, coolDown: null))!;

    /// <param name="coolDown">
    /// Queue nothing (null) when the spec had a run requested within this long that was not cancelled; checked under
    /// the audit chain lock, so two drift runs finding drift at once queue one training run.
    /// </param>
    private async Task<TrainingRunView?> QueueRunAsync(Guid specId, string trigger, string requestedBy, CancellationToken ct, TimeSpan? coolDown)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        TrainingRun run;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await AuditHeadLock.AcquireAsync(db, ct);
            var now = time.GetUtcNow().UtcDateTime;
            var since = now - (coolDown ?? TimeSpan.Zero);
            if (coolDown is not null && await db.TrainingRuns.AnyAsync(
                    r => r.SpecId == specId && r.RequestedAtUtc > since && r.Status != TrainingRunStatus.Cancelled, ct))
                return null;
            var spec = await db.TrainingSpecs.AsNoTracking().Include(s => s.Model).SingleOrDefaultAsync(s => s.Id == specId, ct) ?? throw Missing(specId);
            run = new TrainingRun
            {
                Id = Guid.CreateVersion7(), SpecId = spec.Id, SpecHash = spec.Hash, Trigger = trigger, Status = TrainingRunStatus.Queued,
                DatasetVersionId = spec.TrainingDatasetVersionId, RequestedBy = requestedBy, RequestedAtUtc = now,
                ConcurrencyStamp = Guid.NewGuid(),
            };
            db.TrainingRuns.Add(run);
            using (AuditAmbient.BeginAction("trainingRun.requested", "trainingRun", run.Id.ToString(), $"{spec.Model!.Name}/{spec.Name} ({trigger})"))
                await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        // The row commits first so the worker always finds it.
        run.JobId = jobs.EnqueueTraining(run.Id);
        await db.SaveChangesAsync(ct);
        return (await RunViews(db.TrainingRuns.AsNoTracking().Where(r => r.Id == run.Id)).ToListAsync(ct)).Select(ToView).Single();
    }

    private async Task ApplyAsync(ControlPlaneDbContext db, TrainingSpec spec, TrainingSpecRequest request, CancellationToken ct)
    {
        if (request is null)
            throw Invalid("body", "Send a training spec.");
        var name = RegistryRules.ResourceName(request.Name, "training spec");
        if (await db.TrainingSpecs.AnyAsync(s => s.ModelId == spec.ModelId && s.Name == name && s.Id != spec.Id, ct))
            throw new ConflictException($"The model already has a training spec named '{name}'.");
        spec.Name = name;
        spec.Description = RegistryRules.Text(request.Description, 4000, "description");

        if (request.TrainingDataset is not { Name.Length: > 0 } training)
            throw Invalid("trainingDataset", "Name the training dataset: {\"name\": …} for its latest version, or {\"name\": …, \"version\": …}.");
        var (dataset, version) = await ResolveAsync(db, training, "trainingDataset", ct);
        var dataName = $"{dataset.Name} v{version.Number}";
        var definition = TrainingRules.Validate(new TrainingDefinitionInput(request.Task, request.LabelColumn, request.Features, request.Trainer,
            request.Hyperparameters, request.ValidationFraction ?? 0.2, request.CrossValidationFolds, request.Seed ?? 0), DatasetColumn.FromJson(version.Schema), dataName);
        spec.TrainingDatasetId = dataset.Id;
        spec.TrainingDatasetVersionId = training.Version is null ? null : version.Id;
        spec.Task = definition.Task;
        spec.LabelColumn = definition.LabelColumn;
        spec.Features = JsonSerializer.Serialize(definition.Features, TrainingDefinition.Json);
        spec.Trainer = definition.Trainer;
        spec.Hyperparameters = JsonSerializer.Serialize(definition.Hyperparameters, TrainingDefinition.Json);
        spec.ValidationFraction = definition.ValidationFraction;
        spec.CrossValidationFolds = definition.CrossValidationFolds;
        spec.Seed = definition.Seed;
        spec.Hash = definition.Hash(dataset.Name, training.Version);

        (spec.EvaluationDatasetId, spec.EvaluationDatasetVersionId) = (null, null);
        if (request.EvaluationDataset is { Name.Length: > 0 } evaluation)
        {
            var (evalSet, evalVersion) = await ResolveAsync(db, evaluation, "evaluationDataset", ct);
            var schema = DatasetColumn.FromJson(evalVersion.Schema);
            if (!schema.Any(c => string.Equals(c.Name, definition.LabelColumn, StringComparison.OrdinalIgnoreCase)))
                throw Invalid("evaluationDataset", $"{evalSet.Name} v{evalVersion.Number} has no label column '{definition.LabelColumn}' to evaluate against.");
            var missing = definition.Features.Where(f => !schema.Any(c => string.Equals(c.Name, f.Name, StringComparison.OrdinalIgnoreCase))).Select(f => f.Name).ToList();
            if (missing.Count > 0)
                throw Invalid("evaluationDataset", $"{evalSet.Name} v{evalVersion.Number} lacks the feature columns {string.Join(", ", missing)}.");
            (spec.EvaluationDatasetId, spec.EvaluationDatasetVersionId) = (evalSet.Id, evaluation.Version is null ? null : evalVersion.Id);
        }

        spec.TimeZone = DriftRules.TimeZone(request.TimeZone).Id;
        spec.Schedule = string.IsNullOrWhiteSpace(request.Schedule) ? null : request.Schedule.Trim();
        if (spec.Schedule is { } cron)
            Schedules.ScheduleRules.Cron(cron, scheduleOptions.Value, "schedule");
        spec.Enabled = request.Enabled;
        spec.DriftMonitorId = request.DriftMonitorId;
        if (request.DriftMonitorId is { } monitor && !await db.DriftMonitors.AnyAsync(m => m.Id == monitor, ct))
            throw Invalid("driftMonitorId", $"Drift monitor {monitor} does not exist.");
        if (request.DriftCooldownMinutes is < 0 or > 60 * 24 * 90)
            throw Invalid("driftCooldownMinutes", "The drift cool-down is between 0 minutes and 90 days.");
        spec.DriftCooldownMinutes = request.DriftCooldownMinutes ?? 24 * 60;
        if (request.TimeLimitMinutes is < 1 or > MaxTimeLimitMinutes)
            throw Invalid("timeLimitMinutes", "A spec's time limit is between 1 minute and 7 days (the server's limit still caps it).");
        spec.TimeLimitMinutes = request.TimeLimitMinutes;
    }

    public const int MaxTimeLimitMinutes = 7 * 24 * 60;

    /// <summary>Before the save: a bad cron expression is a 400 and nothing is stored.</summary>
    private void Schedule(TrainingSpec spec)
    {
        if (spec.Schedule is not { } cron || !spec.Enabled)
        {
            jobs.UnscheduleTrainingSpec(spec.Id);
            return;
        }
        try
        {
            jobs.ScheduleTrainingSpec(spec.Id, cron, DriftRules.TimeZone(spec.TimeZone));
        }
        catch (ArgumentException e)
        {
            throw Invalid("schedule", $"'{cron}' is not a valid cron expression: {e.Message}");
        }
    }

    internal static async Task<(Dataset, DatasetVersion)> ResolveAsync(ControlPlaneDbContext db, DatasetSelection selection, string field, CancellationToken ct)
    {
        var dataset = await DatasetCatalog.FindAsync(db.Datasets.AsNoTracking(), selection.Name, ct);
        if (selection.Version is { } number)
            return (dataset, await DatasetCatalog.FindVersionAsync(db.DatasetVersions.AsNoTracking(), dataset, number, ct));
        var latest = await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == dataset.Id).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
            ?? throw Invalid(field, $"Dataset '{dataset.Name}' has no versions yet; upload data first.");
        return (dataset, latest);
    }

    private static async Task<List<TrainingSpecView>> SpecViewsAsync(ControlPlaneDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.TrainingSpecs.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new
        {
            Spec = s,
            Model = s.Model!.Name,
            Training = s.TrainingDataset!.Name,
            TrainingVersion = s.TrainingDatasetVersion == null ? (int?)null : s.TrainingDatasetVersion.Number,
            Evaluation = s.EvaluationDataset == null ? null : s.EvaluationDataset.Name,
            EvaluationVersion = s.EvaluationDatasetVersion == null ? (int?)null : s.EvaluationDatasetVersion.Number,
            Monitor = s.DriftMonitor == null ? null : s.DriftMonitor.Name,
        }).ToListAsync(ct);
        var lastRuns = (await db.TrainingRuns.AsNoTracking().Where(r => ids.Contains(r.SpecId))
                .GroupBy(r => r.SpecId).Select(g => g.OrderByDescending(r => r.RequestedAtUtc).Select(r => new
                {
                    r.SpecId, r.Id, r.Status, Version = r.ModelVersion == null ? (int?)null : r.ModelVersion.Number, r.RequestedAtUtc,
                }).First()).ToListAsync(ct))
            .ToDictionary(r => r.SpecId, r => new TrainingRunSummary(r.Id, r.Status, r.Version, r.RequestedAtUtc));
        return rows.OrderBy(r => r.Spec.Name, StringComparer.Ordinal).Select(r =>
        {
            var s = r.Spec;
            var d = TrainingDefinition.From(s);
            return new TrainingSpecView(s.Id, r.Model, s.Name, s.Description, s.Task, s.LabelColumn, d.Features, s.Trainer, d.Hyperparameters,
                s.ValidationFraction, s.CrossValidationFolds, s.Seed, new DatasetSelection(r.Training, r.TrainingVersion),
                r.Evaluation is null ? null : new DatasetSelection(r.Evaluation, r.EvaluationVersion), s.Schedule, s.TimeZone, s.Enabled,
                s.DriftMonitorId, r.Monitor, s.DriftCooldownMinutes, s.Hash, s.Owner, s.CreatedAtUtc, s.UpdatedAtUtc, s.ConcurrencyStamp,
                lastRuns.GetValueOrDefault(s.Id)) { TimeLimitMinutes = s.TimeLimitMinutes };
        }).ToList();
    }

    private sealed record RunRow(TrainingRun Run, string Spec, string Model, string? Dataset, int? DatasetVersion, int? ModelVersion);

    private static IQueryable<RunRow> RunViews(IQueryable<TrainingRun> runs) => runs.Select(r => new RunRow(
        r, r.Spec!.Name, r.Spec.Model!.Name, r.DatasetVersion == null ? null : r.DatasetVersion.Dataset!.Name,
        r.DatasetVersion == null ? null : r.DatasetVersion.Number, r.ModelVersion == null ? null : r.ModelVersion.Number));

    private static TrainingRunView ToView(RunRow row)
    {
        var r = row.Run;
        return new TrainingRunView(r.Id, r.SpecId, row.Spec, row.Model, r.SpecHash, r.Trigger,
            row.Dataset is null ? null : new DatasetRef(row.Dataset, row.DatasetVersion!.Value), r.Status, r.Progress, r.Phase, r.CancelRequested,
            r.Error, r.Metrics is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(r.Metrics), r.TrainingRows, r.ValidationRows,
            row.ModelVersion, r.OnnxExport, r.OnnxMessage, r.EvaluationId, r.BaselineEvaluationId, r.TrainingMs, r.Machine, r.RequestedBy,
            r.RequestedAtUtc, r.StartedAtUtc, r.CompletedAtUtc);
    }

    private static NotFoundException Missing(Guid id) => new($"Training spec {id} does not exist.");

    private static NotFoundException MissingRun(Guid id) => new($"Training run {id} does not exist.");

    private static ConflictException Stale(TrainingSpec spec) => new($"Training spec '{spec.Name}' was changed by someone else; reload and try again.");

    private static ValidationException Invalid(string field, string message) => new(message, new Dictionary<string, string[]> { [field] = [message] });
}
