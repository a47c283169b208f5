using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Where a revoke rolls back to: the version the revoked request replaced, and only while the model is not on hold, that
/// version's own latest approval for the same target is still in force, and it was not archived or moved since it was
/// replaced. Otherwise nothing is restored: the alias is removed, or nothing is left in Production.
/// </summary>
internal static class RollbackTargets
{
    /// <param name="Version">The version to restore; null when nothing is restored.</param>
    /// <param name="Why">Why nothing is restored (null when something is).</param>
    public sealed record Target(ModelVersion? Version, string? Why);

    public static async Task<Target> FindAsync(ControlPlaneDbContext db, PromotionRequest revoked, RegisteredModel model, CancellationToken ct)
    {
        if (revoked.PreviousVersionId is not { } id)
            return new Target(null, $"it replaced no version");
        var previous = await db.Versions.SingleAsync(v => v.Id == id, ct);
        if (model.OnHold)
            return new Target(null, $"{model.Name} is on hold, so v{previous.Number} is not restored");
        var latest = await db.PromotionRequests.AsNoTracking()
            .Where(r => r.ModelVersionId == id && r.TargetStage == revoked.TargetStage && r.TargetAlias == revoked.TargetAlias
                && (r.Status == PromotionStatus.Approved || r.Status == PromotionStatus.Revoked))
            .OrderByDescending(r => r.CompletedAtUtc).FirstOrDefaultAsync(ct);
        if (latest is null)
            return new Target(null, $"v{previous.Number} holds no approval for {revoked.TargetText}");
        var inForce = latest.Status switch
        {
            PromotionStatus.Approved => true,
            PromotionStatus.Revoked => false,
            _ => throw new InvalidOperationException($"Unexpected status {latest.Status} of request {latest.Id}."),
        };
        if (!inForce)
            return new Target(null, $"v{previous.Number}'s approval for {revoked.TargetText} was revoked ({latest.StatusReason})");
        if (previous.Stage == LifecycleStage.Archived && revoked.TargetAlias is not null)
            return new Target(null, $"v{previous.Number} is archived");
        if (await db.StageTransitions.AnyAsync(t => t.ModelVersionId == id && t.ChangedAtUtc > revoked.CompletedAtUtc, ct))
            return new Target(null, $"v{previous.Number} changed stage after it was replaced (now {previous.Stage})");
        return new Target(previous, null);
    }
}
