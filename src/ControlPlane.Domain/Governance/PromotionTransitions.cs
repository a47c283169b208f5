using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// The only code that puts a version into Production or moves a protected alias: on approval, and backwards on revoke.
/// Runs inside the caller's locked transaction; everything it changes is saved (and audited) with the decision.
/// </summary>
internal static class PromotionTransitions
{
    public sealed record Change(string Event, string Text);

    /// <summary>Executes an approved request and remembers what it replaced.</summary>
    public static async Task<IReadOnlyList<Change>> ExecuteAsync(ControlPlaneDbContext db, PromotionRequest request, RegisteredModel model, PolicyRules rules, string actor, DateTime now, CancellationToken ct)
    {
        var candidate = await db.Versions.SingleAsync(v => v.Id == request.ModelVersionId, ct);
        if (request.TargetAlias is { } alias)
        {
            var existing = await db.Aliases.SingleOrDefaultAsync(a => a.ModelId == model.Id && a.Name == alias, ct);
            request.PreviousVersionId = existing?.ModelVersionId;
            PointAlias(db, existing, model.Id, alias, candidate.Id, actor, now);
            return [new Change(Webhooks.WebhookEvents.AliasChanged, $"{model.Name}@{alias} → v{candidate.Number}")];
        }
        var changes = new List<Change>();
        var previous = await db.Versions.Where(v => v.ModelId == model.Id && v.Stage == LifecycleStage.Production && v.Id != candidate.Id).ToListAsync(ct);
        request.PreviousVersionId = previous.OrderByDescending(v => v.Number).FirstOrDefault()?.Id;
        var leaveTo = rules.ArchivePrevious ? LifecycleStage.Archived : LifecycleStage.Staging;
        foreach (var old in previous)
            changes.Add(SetStage(db, model, old, leaveTo, $"replaced by v{candidate.Number} (promotion {request.Id})", actor, now));
        changes.Add(SetStage(db, model, candidate, LifecycleStage.Production, $"promotion {request.Id} approved", actor, now));
        return changes;
    }

    /// <summary>Undoes an approved request: the version leaves the target and <paramref name="restore"/> (if any) comes back.</summary>
    public static async Task<IReadOnlyList<Change>> RollBackAsync(ControlPlaneDbContext db, PromotionRequest request, RegisteredModel model, RollbackTargets.Target restore, string actor, string reason, DateTime now, CancellationToken ct)
    {
        var revoked = await db.Versions.SingleAsync(v => v.Id == request.ModelVersionId, ct);
        var why = $"approval {request.Id} revoked: {reason}";
        if (request.TargetAlias is { } alias)
        {
            var existing = await db.Aliases.SingleAsync(a => a.ModelId == model.Id && a.Name == alias, ct);
            if (restore.Version is not { } previous)
            {
                db.Aliases.Remove(existing);
                return [new Change(Webhooks.WebhookEvents.AliasChanged, $"{model.Name}@{alias} removed, nothing restored: {restore.Why} ({why})")];
            }
            PointAlias(db, existing, model.Id, alias, previous.Id, actor, now);
            return [new Change(Webhooks.WebhookEvents.AliasChanged, $"{model.Name}@{alias} → v{previous.Number} ({why})")];
        }
        var changes = new List<Change> { SetStage(db, model, revoked, LifecycleStage.Archived, why, actor, now) };
        if (restore.Version is { } back && back.Stage != LifecycleStage.Production)
            changes.Add(SetStage(db, model, back, LifecycleStage.Production, $"restored: {why}", actor, now));
        return changes;
    }

    private static Change SetStage(ControlPlaneDbContext db, RegisteredModel model, ModelVersion version, LifecycleStage stage, string reason, string actor, DateTime now)
    {
        db.StageTransitions.Add(new StageTransition
        {
            Id = Guid.CreateVersion7(), ModelVersionId = version.Id, From = version.Stage, To = stage, Reason = reason, ChangedBy = actor, ChangedAtUtc = now,
        });
        var text = $"{model.Name} v{version.Number}: {version.Stage} → {stage}";
        version.Stage = stage;
        version.ConcurrencyStamp = Guid.NewGuid();
        return new Change(Webhooks.WebhookEvents.ModelStageChanged, text);
    }

    private static void PointAlias(ControlPlaneDbContext db, ModelAlias? existing, Guid modelId, string alias, Guid versionId, string actor, DateTime now)
    {
        if (existing is null)
        {
            db.Aliases.Add(new ModelAlias { Id = Guid.CreateVersion7(), ModelId = modelId, Name = alias, ModelVersionId = versionId, UpdatedBy = actor, UpdatedAtUtc = now });
            return;
        }
        existing.ModelVersionId = versionId;
        existing.UpdatedBy = actor;
        existing.UpdatedAtUtc = now;
    }
}
