using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Registry;

/// <summary>Models and their immutable versions. Data scientists and admins write; every role reads.</summary>
public sealed class ModelRegistry(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IArtifactStore artifacts,
    ArtifactRollback rollback,
    IArtifactInspector inspector,
    IOptions<ArtifactOptions> artifactOptions,
    AuditLog audit,
    IActorContext actor,
    IJobScheduler jobs,
    TimeProvider time)
{
    internal static readonly string[] Writers = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    internal static readonly string[] Readers = [.. ControlPlaneRoles.All];

    /// <summary>For callers that must refuse before reading a request body (uploads).</summary>
    public void EnsureCanWrite() => actor.Current.RequireAnyRole(Writers);

    public async Task<ModelDetail> CreateModelAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        var valid = RegistryRules.ModelName(name);
        var now = time.GetUtcNow().UtcDateTime;
        var model = new RegisteredModel
        {
            Id = Guid.CreateVersion7(), Name = valid, NormalizedName = valid.ToUpperInvariant(),
            Description = RegistryRules.Text(description, 4000, "description"), Owner = actor.Current.Name,
            CreatedAtUtc = now, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        };
        model.Tags.AddRange(RegistryRules.Tags(tags).Select(t => new ModelTag { Key = t.Key, Value = t.Value }));
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Models.AnyAsync(m => m.NormalizedName == model.NormalizedName, ct))
            throw new ConflictException($"A model named '{valid}' already exists.");
        db.Models.Add(model);
        using (AuditAmbient.BeginAction("model.created", "model", model.Id.ToString()))
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Lost a race with someone creating the same name.
                if (await NameTakenAsync(model.NormalizedName, ct))
                    throw new ConflictException($"A model named '{valid}' already exists.");
                throw;
            }
        }
        return await GetModelAsync(valid, ct);
    }

    public async Task<Page<ModelSummary>> ListModelsAsync(PageRequest page, string? tag = null, LifecycleStage? stage = null, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Models.AsNoTracking().Search(page);
        if (actor.Current.Models is { } limited)
        {
            var names = limited.ToList();
            query = query.Where(m => names.Contains(m.Name));
        }
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var parts = tag.Split('=', 2);
            query = parts.Length == 2
                ? query.Where(m => m.Tags.Any(t => t.Key == parts[0] && t.Value == parts[1]))
                : query.Where(m => m.Tags.Any(t => t.Key == parts[0]));
        }
        if (stage is { } s)
            query = query.Where(m => m.Versions.Any(v => v.Stage == s));
        var total = await query.CountAsync(ct);
        var rows = await query.Sort(page).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        // Tags and stages of just this page, in two set-based queries (no per-row queries, no APPLY on SQLite).
        var ids = rows.Select(m => m.Id).ToList();
        var tags = (await db.Tags.AsNoTracking().Where(t => ids.Contains(t.ModelId)).ToListAsync(ct)).ToLookup(t => t.ModelId);
        var stats = (await db.Versions.AsNoTracking().Where(v => ids.Contains(v.ModelId))
                .GroupBy(v => new { v.ModelId, v.Stage }).Select(g => new { g.Key.ModelId, g.Key.Stage, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(x => x.ModelId);
        return new Page<ModelSummary>(rows.Select(m => new ModelSummary(
            m.Name, m.Description, m.Owner, tags[m.Id].ToDictionary(t => t.Key, t => t.Value), m.LatestVersionNumber, stats[m.Id].Sum(x => x.Count),
            stats[m.Id].Select(x => x.Stage).Where(x => x != LifecycleStage.None).Order().Select(x => x.ToString()).ToList(),
            m.CreatedAtUtc, m.UpdatedAtUtc)).ToList(), total);
    }

    public async Task<ModelDetail> GetModelAsync(string name, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db.Models.AsNoTracking().Include(m => m.Tags), name, ct);
        var aliases = await db.Aliases.AsNoTracking().Where(a => a.ModelId == model.Id).OrderBy(a => a.Name)
            .Select(a => new AliasView(a.Name, a.Version!.Number, a.UpdatedBy, a.UpdatedAtUtc)).ToListAsync(ct);
        return new ModelDetail(model.Id, model.Name, model.Description, model.Owner, model.Tags.ToDictionary(t => t.Key, t => t.Value),
            model.LatestVersionNumber, aliases, model.CreatedAtUtc, model.UpdatedAtUtc);
    }

    /// <summary>Replaces the description and/or the tags (null leaves a part as it is).</summary>
    public async Task<ModelDetail> UpdateModelAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db.Models.Include(m => m.Tags), name, ct);
        if (description is not null)
            model.Description = RegistryRules.Text(description, 4000, "description");
        if (tags is not null)
        {
            var (remove, add) = TagChanges.Between(model.Tags, t => t.Key, t => t.Value, RegistryRules.Tags(tags));
            db.Tags.RemoveRange(remove);
            db.Tags.AddRange(add.Select(t => new ModelTag { ModelId = model.Id, Key = t.Key, Value = t.Value }));
        }
        model.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        model.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction("model.updated", "model", model.Id.ToString()))
            await db.SaveChangesAsync(ct);
        return await GetModelAsync(model.Name, ct);
    }

    /// <summary>
    /// Streams the file to a staging area while hashing it, inspects it (signature, metadata), publishes it under
    /// its hash, then commits the version with the next gap-free number. A rejected file leaves nothing behind.
    /// </summary>
    public async Task<ModelVersionView> RegisterVersionAsync(string name, Stream file, string? fileName, VersionMetadata? metadata, CancellationToken ct = default)
    {
        await using var staged = await StageUploadAsync(file, ct);
        return await RegisterVersionAsync(name, staged, fileName, metadata, ct);
    }

    /// <summary>Receives an upload into the staging area (for callers that read the file before its metadata).</summary>
    public async Task<StagedArtifact> StageUploadAsync(Stream file, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        return await artifacts.StageAsync(file, artifactOptions.Value.MaxUploadBytes, ct);
    }

    public async Task<ModelVersionView> RegisterVersionAsync(string name, StagedArtifact staged, string? fileName, VersionMetadata? metadata, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        metadata ??= new VersionMetadata();
        RegistryRules.Metrics(metadata.Metrics);
        var card = metadata.ModelCard ?? new ModelCard(null, null, null, null);
        Guid modelId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var found = await FindModelAsync(db.Models.AsNoTracking(), name, ct);
            await Permissions.ModelPermissionCheck.RequireAsync(db, actor.Current, found, Permissions.ModelAction.RegisterVersions, ct);
            modelId = found.Id;
        }

        var inspection = await inspector.InspectAsync(staged.Path, ct);
        await using var published = rollback.Pending(await artifacts.PublishAsync(staged, ct));

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            // Every audited write is serialized by the audit chain-head lock anyway; taking it before reading the
            // latest number makes numbering race-free on every provider instead of retrying on conflicts.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditHeadLock.AcquireAsync(db, ct);
            var model = await db.Models.SingleAsync(m => m.Id == modelId, ct);
            // Again under the lock, which a change of permissions also takes: the rules at the save decide.
            await Permissions.ModelPermissionCheck.RequireAsync(db, actor.Current, model, Permissions.ModelAction.RegisterVersions, ct);
            var trainingData = await TrainingDatasetAsync(db, metadata, ct);
            Guid? parent = null;
            if (metadata.ParentVersion is { } p)
                parent = await db.Versions.Where(v => v.ModelId == modelId && v.Number == p).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct)
                    ?? throw RegistryRules.Invalid("parentVersion", $"Version {p} of '{model.Name}' does not exist.");
            var now = time.GetUtcNow().UtcDateTime;
            model.LatestVersionNumber++;
            model.UpdatedAtUtc = now;
            model.ConcurrencyStamp = Guid.NewGuid();
            var version = new ModelVersion
            {
                Id = Guid.CreateVersion7(), ModelId = modelId, Number = model.LatestVersionNumber, Flavor = inspection.Flavor,
                ArtifactSha256 = staged.Sha256, ArtifactSize = staged.Size,
                ArtifactFileName = RegistryRules.FileName(fileName) ?? $"model.{(inspection.Flavor == ModelFlavor.Onnx ? "onnx" : "zip")}",
                Signature = inspection.Signature.ToJson(), OnnxMetadata = inspection.Onnx?.ToJson(),
                TrainingDatasetVersionId = trainingData, ParentVersionId = parent,
                Parameters = JsonSerializer.Serialize(metadata.Parameters ?? new Dictionary<string, string>()),
                Metrics = JsonSerializer.Serialize(metadata.Metrics ?? new Dictionary<string, double>()),
                Source = RegistryRules.Text(metadata.Source, 1000, "source"), Notes = RegistryRules.Text(metadata.Notes, 4000, "notes"),
                IntendedUse = RegistryRules.Text(card.IntendedUse, 4000, "intendedUse"), Limitations = RegistryRules.Text(card.Limitations, 4000, "limitations"),
                RiskTier = RegistryRules.Text(card.RiskTier, 32, "riskTier"), CardOwner = RegistryRules.Text(card.Owner, 256, "owner"),
                Stage = LifecycleStage.None, CreatedBy = actor.Current.Name, CreatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
            };
            db.Versions.Add(version);
            try
            {
                using (AuditAmbient.BeginAction("modelVersion.registered", "modelVersion", version.Id.ToString()))
                    await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                published.Committed();
                return await GetVersionAsync(name, version.Number, ct);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // A writer that bypassed the lock took this number: take the next one.
            }
        }
    }

    public async Task<Page<ModelVersionView>> ListVersionsAsync(string name, PageRequest page, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db.Models.AsNoTracking(), name, ct);
        var query = db.Versions.AsNoTracking().Where(v => v.ModelId == model.Id);
        var total = await query.CountAsync(ct);
        var rows = await (page.Descending || page.SortBy is null ? query.OrderByDescending(v => v.Number) : query.OrderBy(v => v.Number))
            .Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return new Page<ModelVersionView>(await ViewsAsync(db, model, rows, ct), total);
    }

    public async Task<ModelVersionView> GetVersionAsync(string name, int number, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db.Models.AsNoTracking(), name, ct);
        var version = await FindVersionAsync(db.Versions.AsNoTracking(), model, number, ct);
        return (await ViewsAsync(db, model, [version], ct))[0];
    }

    public async Task<IReadOnlyList<StageChangeView>> StageHistoryAsync(string name, int number, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db.Models.AsNoTracking(), name, ct);
        var version = await FindVersionAsync(db.Versions.AsNoTracking(), model, number, ct);
        return await db.StageTransitions.AsNoTracking().Where(t => t.ModelVersionId == version.Id).OrderBy(t => t.ChangedAtUtc)
            .Select(t => new StageChangeView(t.From, t.To, t.Reason, t.ChangedBy, t.ChangedAtUtc)).ToListAsync(ct);
    }

    /// <summary>Moves a version into or out of Staging, or archives it, for a stated reason. Production is reached only through an approved promotion.</summary>
    public async Task<ModelVersionView> SetStageAsync(string name, int number, LifecycleStage stage, string? reason, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        ClosedSet.Require(stage, "stage");
        reason = RegistryRules.Reason(reason);
        if (stage == LifecycleStage.Production)
            throw new ForbiddenException("Production is reached only through an approved promotion request.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db.Models.AsNoTracking(), name, ct);
        var version = await FindVersionAsync(db.Versions, model, number, ct);
        if (version.Stage == stage)
            return await GetVersionAsync(name, number, ct);
        if (version.Stage is LifecycleStage.Production or LifecycleStage.Archived)
            throw new ConflictException($"Version {number} is {version.Stage}; it leaves that stage only through governance.");
        db.StageTransitions.Add(new StageTransition
        {
            Id = Guid.CreateVersion7(), ModelVersionId = version.Id, From = version.Stage, To = stage,
            Reason = reason, ChangedBy = actor.Current.Name, ChangedAtUtc = time.GetUtcNow().UtcDateTime,
        });
        var text = $"{model.Name} v{number}: {version.Stage} → {stage}";
        version.Stage = stage;
        version.ConcurrencyStamp = Guid.NewGuid();
        var deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.ModelStageChanged, text, reason, $"/models/{Uri.EscapeDataString(model.Name)}/versions/{number}",
            new { model = model.Name, version = number, stage = stage.ToString(), reason }, time.GetUtcNow().UtcDateTime, ct, notify: false);
        using (AuditAmbient.BeginAction("modelVersion.stage_changed", "modelVersion", version.Id.ToString(), reason))
            await db.SaveChangesAsync(ct);
        jobs.EnqueueAll(deliveries);
        return await GetVersionAsync(name, number, ct);
    }

    /// <summary>Opens the artifact for download (hash checked while it is read); the download is audited.</summary>
    public async Task<ArtifactDownload> OpenArtifactAsync(string name, int number, CancellationToken ct = default)
    {
        var version = await GetVersionAsync(name, number, ct);
        await audit.RecordAsync(AuditActions.ArtifactDownloaded, "modelVersion", version.Id.ToString(), reason: $"{version.Model} v{number} ({version.Sha256})", ct: ct);
        return new ArtifactDownload(await artifacts.OpenReadAsync(version.Sha256, ct), version.Sha256, version.Size, version.FileName);
    }

    internal static async Task<RegisteredModel> FindModelAsync(IQueryable<RegisteredModel> models, string name, CancellationToken ct)
    {
        var normalized = (name ?? "").Trim().ToUpperInvariant();
        var model = await models.SingleOrDefaultAsync(m => m.NormalizedName == normalized, ct)
            ?? throw new NotFoundException($"Model '{name}' does not exist.");
        // Every service finds a model by name through here: a token limited to other models stops at this point.
        Identity.TokenScopeGuard.RequireModel(model.Name);
        return model;
    }

    internal static async Task<ModelVersion> FindVersionAsync(IQueryable<ModelVersion> versions, RegisteredModel model, int number, CancellationToken ct) =>
        await versions.SingleOrDefaultAsync(v => v.ModelId == model.Id && v.Number == number, ct)
            ?? throw new NotFoundException($"Model '{model.Name}' has no version {number}.");

    /// <summary>Lineage must point at a dataset version that exists, named by id or by name and number.</summary>
    private static async Task<Guid?> TrainingDatasetAsync(ControlPlaneDbContext db, VersionMetadata metadata, CancellationToken ct)
    {
        if (metadata.TrainingDataset is { } named)
        {
            var normalized = (named.Name ?? "").Trim().ToUpperInvariant();
            return await db.DatasetVersions.Where(v => v.Dataset!.NormalizedName == normalized && v.Number == named.Version).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct)
                ?? throw RegistryRules.Invalid("trainingDataset", $"Dataset '{named.Name}' has no version {named.Version}.");
        }
        if (metadata.TrainingDatasetVersionId is { } id && !await db.DatasetVersions.AnyAsync(v => v.Id == id, ct))
            throw RegistryRules.Invalid("trainingDatasetVersionId", $"No dataset version has the id {id}.");
        return metadata.TrainingDatasetVersionId;
    }

    private async Task<bool> NameTakenAsync(string normalized, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Models.AnyAsync(m => m.NormalizedName == normalized, ct);
    }

    private static async Task<List<ModelVersionView>> ViewsAsync(ControlPlaneDbContext db, RegisteredModel model, List<ModelVersion> versions, CancellationToken ct)
    {
        var ids = versions.Select(v => v.Id).ToList();
        var aliases = await db.Aliases.AsNoTracking().Where(a => ids.Contains(a.ModelVersionId)).ToListAsync(ct);
        var parents = versions.Where(v => v.ParentVersionId is not null).Select(v => v.ParentVersionId!.Value).ToList();
        var parentNumbers = await db.Versions.AsNoTracking().Where(v => parents.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Number, ct);
        var trainingIds = versions.Where(v => v.TrainingDatasetVersionId is not null).Select(v => v.TrainingDatasetVersionId!.Value).Distinct().ToList();
        var training = await db.DatasetVersions.AsNoTracking().Where(d => trainingIds.Contains(d.Id))
            .Select(d => new { d.Id, d.Dataset!.Name, d.Number }).ToDictionaryAsync(d => d.Id, d => new DatasetRef(d.Name, d.Number), ct);
        return versions.Select(v => new ModelVersionView(
            v.Id, model.Name, v.Number, v.Flavor, v.ArtifactSha256, v.ArtifactSize, v.ArtifactFileName,
            ModelSignature.FromJson(v.Signature), v.OnnxMetadata is null ? null : Registry.OnnxMetadata.FromJson(v.OnnxMetadata),
            v.TrainingDatasetVersionId, v.TrainingDatasetVersionId is { } t ? training.GetValueOrDefault(t) : null,
            v.ParentVersionId is { } p ? parentNumbers.GetValueOrDefault(p) : null,
            JsonSerializer.Deserialize<Dictionary<string, string>>(v.Parameters)!, JsonSerializer.Deserialize<Dictionary<string, double>>(v.Metrics)!,
            v.Source, v.Notes, new ModelCard(v.IntendedUse, v.Limitations, v.RiskTier, v.CardOwner), v.Stage,
            aliases.Where(a => a.ModelVersionId == v.Id).Select(a => a.Name).Order(StringComparer.Ordinal).ToList(),
            v.CreatedBy, v.CreatedAtUtc)).ToList();
    }
}
