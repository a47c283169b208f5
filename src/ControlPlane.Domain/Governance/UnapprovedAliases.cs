using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>A protected alias that points at a version no approval in force put there (it was set before protection was added).</summary>
public sealed record UnapprovedAlias(string Alias, int Version, string UpdatedBy, DateTime UpdatedAt);

/// <summary>
/// Protected aliases pointing at versions without an approved (not revoked) promotion to that alias. Computed from the
/// current rows, so the list is shown until an admin resolves each one: a promotion approved for it, or the alias removed.
/// </summary>
internal static class UnapprovedAliases
{
    public static async Task<IReadOnlyList<UnapprovedAlias>> ListAsync(ControlPlaneDbContext db, Guid modelId, CancellationToken ct)
    {
        var rules = PolicyRules.FromJson((await PromotionPolicies.EffectiveAsync(db, modelId, ct)).Rules);
        var aliases = await db.Aliases.AsNoTracking().Where(a => a.ModelId == modelId && rules.ProtectedAliases.Contains(a.Name))
            .Where(a => !db.PromotionRequests.Any(r => r.ModelVersionId == a.ModelVersionId && r.TargetAlias == a.Name && r.Status == PromotionStatus.Approved))
            .OrderBy(a => a.Name).Select(a => new UnapprovedAlias(a.Name, a.Version!.Number, a.UpdatedBy, a.UpdatedAtUtc)).ToListAsync(ct);
        return aliases;
    }

    public static async Task<bool> IsUnapprovedAsync(ControlPlaneDbContext db, Guid modelId, string alias, CancellationToken ct) =>
        (await ListAsync(db, modelId, ct)).Any(a => a.Alias == alias);
}
