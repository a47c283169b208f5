using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Revoking an approval that is in effect.</summary>
public sealed partial class Promotions
{
    /// <summary>
    /// Revokes the approval that put a version where it is (Production, or behind an alias) and rolls back to what it
    /// replaced, through the same transition code as approvals.
    /// </summary>
    public Task<PromotionView> RevokeAsync(string modelName, int number, string reason, CancellationToken ct = default) =>
        RefusalsAuditedAsync("promotion.revoke_refused", "model", modelName, () => RevokeStandingAsync(modelName, number, reason, ct));

    private async Task<PromotionView> RevokeStandingAsync(string modelName, int number, string reason, CancellationToken ct)
    {
        var caller = actor.Current;
        caller.RequireAuthenticated();
        var why = Required(reason, "reason", "Say why the approval is revoked.");
        Guid requestId;
        IReadOnlyList<WebhookDelivery> deliveries;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditHeadLock.AcquireAsync(db, ct);
            var model = await ModelRegistry.FindModelAsync(db.Models, modelName, ct);
            var version = await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), model, number, ct);
            var rules = PolicyRules.FromJson((await PromotionPolicies.EffectiveAsync(db, model.Id, ct)).Rules);
            if (!rules.ApproverRoles.Any(caller.IsInRole) && !caller.IsInRole(ControlPlaneRoles.Admin))
                throw new ForbiddenException($"Revoking an approval needs the role {string.Join(" or ", rules.ApproverRoles.Append(ControlPlaneRoles.Admin).Distinct())}.");
            var approved = await db.PromotionRequests.Where(r => r.ModelVersionId == version.Id && r.Status == PromotionStatus.Approved)
                .OrderByDescending(r => r.CompletedAtUtc).ToListAsync(ct);
            PromotionRequest? standing = null;
            foreach (var r in approved)
            {
                var stands = r.TargetAlias is { } a
                    ? await db.Aliases.AnyAsync(x => x.ModelId == model.Id && x.Name == a && x.ModelVersionId == version.Id, ct)
                    : version.Stage == LifecycleStage.Production;
                if (stands)
                {
                    standing = r;
                    break;
                }
            }
            if (standing is null)
                throw new ConflictException($"{model.Name} v{number} holds no approved promotion that is still in effect.");
            var now = time.GetUtcNow().UtcDateTime;
            var restore = await RollbackTargets.FindAsync(db, standing, model, ct);
            var changes = await PromotionTransitions.RollBackAsync(db, standing, model, restore, caller.Name, why, now, ct);
            standing.Status = PromotionStatus.Revoked;
            standing.StatusReason = $"Revoked by {caller.Name}: {why} {RollbackText(standing, restore)}";
            standing.RevokedBy = caller.Name;
            standing.RevokedAtUtc = now;
            standing.ConcurrencyStamp = Guid.NewGuid();
            var raised = new List<WebhookDelivery>(await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionRevoked,
                $"{caller.Name} revoked {model.Name} v{number} ({standing.TargetText})", why, Link(standing.Id), Payload(standing, model.Name, number), now, ct));
            foreach (var change in changes)
                raised.AddRange(await ProductEvents.RaiseAsync(db, change.Event, change.Text, $"Approval {standing.Id} revoked.", $"/models/{Uri.EscapeDataString(model.Name)}", new { model = model.Name, change = change.Text, promotion = standing.Id }, now, ct, notify: false));
            deliveries = raised;
            using (AuditAmbient.BeginAction("promotion.revoked", "promotionRequest", standing.Id.ToString(), $"{model.Name} v{number} ({standing.TargetText}): {why}"))
                await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            requestId = standing.Id;
        }
        Enqueue(deliveries);
        return await GetAsync(requestId, ct);
    }

    private static string RollbackText(PromotionRequest revoked, RollbackTargets.Target restore) => (restore.Version, revoked.TargetAlias) switch
    {
        ({ } back, { } alias) => $"The alias '{alias}' points at v{back.Number} again.",
        ({ } back, null) => $"v{back.Number} is back in Production.",
        (null, { } alias) => $"The alias '{alias}' was removed: {restore.Why}.",
        (null, null) => $"Nothing is in Production now: {restore.Why}.",
    };
}
