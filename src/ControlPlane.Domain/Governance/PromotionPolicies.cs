using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Versioned promotion policies: a global default and optional per-model policies. Admins edit (each edit is a new,
/// audited version, and invalidates the pending requests it governs); everyone reads.
/// </summary>
public sealed class PromotionPolicies(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor, TimeProvider time)
{
    public async Task<PolicyView> GetAsync(string? model, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var modelId = model is null ? (Guid?)null : (await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct)).Id;
        var policy = await EffectiveAsync(db, modelId, ct);
        return await ViewAsync(db, policy, ct);
    }

    /// <summary>Every version of one scope (the global default when <paramref name="model"/> is null), newest first.</summary>
    public async Task<IReadOnlyList<PolicyView>> HistoryAsync(string? model, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var scope = model is null ? PromotionPolicy.GlobalScope : ScopeOf((await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct)).Id);
        var rows = await db.PromotionPolicies.AsNoTracking().Where(p => p.Scope == scope).OrderByDescending(p => p.Version).ToListAsync(ct);
        return [.. rows.Select(p => View(p, model))];
    }

    /// <summary>The global default and every model's own policy, latest versions.</summary>
    public async Task<IReadOnlyList<PolicyView>> ListAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var global = await EffectiveAsync(db, null, ct);
        var latest = await db.PromotionPolicies.AsNoTracking().Where(p => p.ModelId != null)
            .Where(p => p.Version == db.PromotionPolicies.Where(q => q.Scope == p.Scope).Max(q => q.Version)).ToListAsync(ct);
        var names = await db.Models.AsNoTracking().Where(m => latest.Select(p => p.ModelId).Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        return [View(global, null), .. latest.Select(p => View(p, names[p.ModelId!.Value])).OrderBy(v => v.Model, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Adds the next version of a scope's policy. Pending requests it governs are invalidated: their gates were checked under the old rules.</summary>
    public async Task<PolicyView> SaveAsync(string? model, PolicySaveRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var rules = (request.Rules ?? throw RegistryRules.Invalid("rules", "Send the policy rules.")).Validated();
        var reason = RegistryRules.Text(request.Reason, 2000, "reason");
        if (string.IsNullOrWhiteSpace(reason))
            throw RegistryRules.Invalid("reason", "Say why the policy changes; the reason is kept with the version.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditHeadLock.AcquireAsync(db, ct);
        RegisteredModel? target = model is null ? null : await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        var scope = target is null ? PromotionPolicy.GlobalScope : ScopeOf(target.Id);
        var now = time.GetUtcNow().UtcDateTime;
        var next = (await db.PromotionPolicies.Where(p => p.Scope == scope).MaxAsync(p => (int?)p.Version, ct) ?? 0) + 1;
        var policy = new PromotionPolicy
        {
            Id = Guid.CreateVersion7(), Scope = scope, ModelId = target?.Id, Version = next, Rules = rules.ToJson(),
            Reason = reason, CreatedBy = actor.Current.Name, CreatedAtUtc = now,
        };
        db.PromotionPolicies.Add(policy);
        // Requests of the models this scope governs: one model, or (global) every model without its own policy.
        var governed = db.PromotionRequests.Where(r => r.Status == PromotionStatus.Pending);
        governed = target is null
            ? governed.Where(r => !db.PromotionPolicies.Any(p => p.ModelId == r.ModelId))
            : governed.Where(r => r.ModelId == target.Id);
        foreach (var pending in await governed.ToListAsync(ct))
            PromotionStates.Close(pending, PromotionStatus.Invalidated, $"The promotion policy changed to version {next} ({reason}); request again to be checked under it.", now);
        using (AuditAmbient.BeginAction("policy.updated", "promotionPolicy", policy.Id.ToString(), $"{(target is null ? "global" : target.Name)} v{next}: {reason}"))
        {
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new ConflictException("Someone else saved this policy at the same time; reload and try again.");
            }
        }
        return View(policy, target?.Name);
    }

    internal static string ScopeOf(Guid modelId) => modelId.ToString("N");

    /// <summary>The model's own latest policy, else the global default's latest (created from the built-in rules on first use).</summary>
    internal static async Task<PromotionPolicy> EffectiveAsync(ControlPlaneDbContext db, Guid? modelId, CancellationToken ct)
    {
        if (modelId is { } id)
        {
            var own = await db.PromotionPolicies.AsNoTracking().Where(p => p.Scope == ScopeOf(id)).OrderByDescending(p => p.Version).FirstOrDefaultAsync(ct);
            if (own is not null)
                return own;
        }
        return await db.PromotionPolicies.AsNoTracking().Where(p => p.Scope == PromotionPolicy.GlobalScope).OrderByDescending(p => p.Version).FirstOrDefaultAsync(ct)
            ?? BuiltIn;
    }

    /// <summary>Writes the built-in default as global version 1 if no one has yet (inside the caller's locked transaction), so requests can pin it.</summary>
    internal static async Task<PromotionPolicy> EnsureGlobalAsync(ControlPlaneDbContext db, CancellationToken ct)
    {
        var existing = await db.PromotionPolicies.Where(p => p.Scope == PromotionPolicy.GlobalScope).OrderByDescending(p => p.Version).FirstOrDefaultAsync(ct);
        if (existing is not null)
            return existing;
        var policy = new PromotionPolicy
        {
            Id = Guid.CreateVersion7(), Scope = PromotionPolicy.GlobalScope, Version = 1, Rules = PolicyRules.Default.ToJson(),
            Reason = "Built-in default", CreatedBy = "system", CreatedAtUtc = BuiltIn.CreatedAtUtc,
        };
        db.PromotionPolicies.Add(policy);
        return policy;
    }

    /// <summary>The rules in force before anyone saved a policy (version 0, not stored).</summary>
    private static PromotionPolicy BuiltIn { get; } = new()
    {
        Id = Guid.Empty, Scope = PromotionPolicy.GlobalScope, Version = 0, Rules = PolicyRules.Default.ToJson(),
        Reason = "Built-in default", CreatedBy = "system", CreatedAtUtc = DateTime.UnixEpoch,
    };

    private static async Task<PolicyView> ViewAsync(ControlPlaneDbContext db, PromotionPolicy policy, CancellationToken ct)
    {
        var name = policy.ModelId is { } id ? await db.Models.Where(m => m.Id == id).Select(m => m.Name).SingleAsync(ct) : null;
        return View(policy, name);
    }

    private static PolicyView View(PromotionPolicy p, string? model) =>
        new(p.Id, model, p.Version, PolicyRules.FromJson(p.Rules), p.Reason, p.CreatedBy, p.CreatedAtUtc);
}
