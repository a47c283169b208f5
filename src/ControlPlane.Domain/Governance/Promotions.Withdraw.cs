using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Withdrawing a pending request.</summary>
public sealed partial class Promotions
{
    public Task<PromotionView> WithdrawAsync(Guid id, string? reason, CancellationToken ct = default) =>
        RefusalsAuditedAsync("promotion.withdraw_refused", "promotionRequest", id.ToString(), () => WithdrawPendingAsync(id, reason, ct));

    private async Task<PromotionView> WithdrawPendingAsync(Guid id, string? reason, CancellationToken ct)
    {
        var caller = actor.Current;
        caller.RequireAuthenticated();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditHeadLock.AcquireAsync(db, ct);
            var request = await FindAsync(db.PromotionRequests, id, ct);
            var own = request.RequestedById is { } rid ? rid == caller.UserId : string.Equals(request.RequestedBy, caller.Name, StringComparison.OrdinalIgnoreCase);
            if (!own && !caller.IsInRole(ControlPlaneRoles.Admin))
                throw new ForbiddenException("Only the requester (or an admin) can withdraw a request.");
            if (request.Status != PromotionStatus.Pending)
                throw new ConflictException($"This request is already {request.Status}.");
            var why = RegistryRules.Text(reason, 2000, "reason");
            PromotionStates.Close(request, PromotionStatus.Withdrawn, $"Withdrawn by {caller.Name}{(why is null ? "." : $": {why}")}", time.GetUtcNow().UtcDateTime);
            using (AuditAmbient.BeginAction("promotion.withdrawn", "promotionRequest", request.Id.ToString(), why))
                await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return await GetAsync(id, ct);
    }
}
