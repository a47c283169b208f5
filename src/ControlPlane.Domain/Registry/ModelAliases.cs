using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Registry;

/// <summary>Named, movable pointers to one version of a model, unique per model.</summary>
public sealed class ModelAliases(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor, IJobScheduler jobs, TimeProvider time)
{
    public async Task<IReadOnlyList<AliasView>> ListAsync(string model, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        return await db.Aliases.AsNoTracking().Where(a => a.ModelId == m.Id).OrderBy(a => a.Name)
            .Select(a => new AliasView(a.Name, a.Version!.Number, a.UpdatedBy, a.UpdatedAtUtc)).ToListAsync(ct);
    }

    /// <summary>The version an alias points at, with its artifact's hash and flavor (what a serving client follows).</summary>
    public async Task<AliasTarget> ResolveAsync(string model, string alias, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        return await db.Aliases.AsNoTracking().Where(a => a.ModelId == m.Id && a.Name == alias)
            .Select(a => new AliasTarget(a.Name, a.Version!.Number, a.Version.ArtifactSha256, a.Version.Flavor, a.UpdatedAtUtc) { VersionId = a.ModelVersionId })
            .SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Model '{m.Name}' has no alias '{alias}'.");
    }

    /// <summary>Points the alias at a version, creating it or moving it, for a stated reason (kept in the audit trail).</summary>
    public async Task<AliasView> SetAsync(string model, string alias, int version, string? reason, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Writers);
        var name = RegistryRules.AliasName(alias);
        reason = RegistryRules.Reason(reason);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        await RefuseProtectedAsync(db, m, name, ct);
        await Permissions.ModelPermissionCheck.RequireAsync(db, actor.Current, m, Permissions.ModelAction.MoveAliases, ct);
        var target = await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), m, version, ct);
        if (target.Stage == LifecycleStage.Archived)
            throw new ConflictException($"Version {version} is archived; an alias cannot point at it.");
        var existing = await db.Aliases.SingleOrDefaultAsync(a => a.ModelId == m.Id && a.Name == name, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            existing = new ModelAlias { Id = Guid.CreateVersion7(), ModelId = m.Id, Name = name, ModelVersionId = target.Id, UpdatedBy = actor.Current.Name, UpdatedAtUtc = now };
            db.Aliases.Add(existing);
        }
        else if (existing.ModelVersionId != target.Id)
        {
            existing.ModelVersionId = target.Id;
            existing.UpdatedBy = actor.Current.Name;
            existing.UpdatedAtUtc = now;
        }
        var deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.AliasChanged, $"{m.Name}@{name} → v{version}", $"Set by {actor.Current.Name}: {reason}",
            $"/models/{Uri.EscapeDataString(m.Name)}/versions/{version}", new { model = m.Name, alias = name, version }, now, ct, notify: false);
        using (AuditAmbient.BeginAction("modelAlias.set", "modelAlias", existing.Id.ToString(), $"{m.Name}@{name} → v{version}: {reason}"))
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new ConflictException($"The alias '{name}' was changed by someone else at the same time; try again.");
            }
        }
        jobs.EnqueueAll(deliveries);
        return new AliasView(name, version, existing.UpdatedBy, existing.UpdatedAtUtc);
    }

    /// <summary>Removes the alias, for a stated reason (kept in the audit trail).</summary>
    public async Task DeleteAsync(string model, string alias, string? reason, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Writers);
        reason = RegistryRules.Reason(reason);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        // An admin may remove a protected alias that no approval in force put where it points (protection added later).
        if (!actor.Current.IsInRole(Identity.ControlPlaneRoles.Admin) || !await Governance.UnapprovedAliases.IsUnapprovedAsync(db, m.Id, alias, ct))
            await RefuseProtectedAsync(db, m, alias, ct);
        await Permissions.ModelPermissionCheck.RequireAsync(db, actor.Current, m, Permissions.ModelAction.MoveAliases, ct);
        var existing = await db.Aliases.SingleOrDefaultAsync(a => a.ModelId == m.Id && a.Name == alias, ct)
            ?? throw new NotFoundException($"Model '{m.Name}' has no alias '{alias}'.");
        db.Aliases.Remove(existing);
        var deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.AliasChanged, $"{m.Name}@{alias} removed", $"Removed by {actor.Current.Name}: {reason}",
            $"/models/{Uri.EscapeDataString(m.Name)}", new { model = m.Name, alias, version = (int?)null }, time.GetUtcNow().UtcDateTime, ct, notify: false);
        using (AuditAmbient.BeginAction("modelAlias.deleted", "modelAlias", existing.Id.ToString(), $"{m.Name}@{alias}: {reason}"))
            await db.SaveChangesAsync(ct);
        jobs.EnqueueAll(deliveries);
    }

    /// <summary>Protected aliases (policy) move only through an approved promotion request.</summary>
    private static async Task RefuseProtectedAsync(ControlPlaneDbContext db, RegisteredModel model, string alias, CancellationToken ct)
    {
        var policy = await Governance.PromotionPolicies.EffectiveAsync(db, model.Id, ct);
        if (Governance.PolicyRules.FromJson(policy.Rules).ProtectedAliases.Contains(alias, StringComparer.Ordinal))
            throw new ForbiddenException($"The alias '{alias}' of '{model.Name}' is protected by promotion policy v{policy.Version}; it moves only through an approved promotion request (POST /api/v1/promotions).");
    }
}
