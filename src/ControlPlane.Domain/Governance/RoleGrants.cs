using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Who set a signer's roles, read from the audit trail (user creation or a role change). An approver must have been
/// appointed before the request was made, by someone other than its requester: a requester cannot create their own
/// reviewers.
/// </summary>
internal static class RoleGrants
{
    public sealed record Grant(long Sequence, string? ById, string ByName, DateTime At);

    /// <summary>The latest setting of the user's roles at or before <paramref name="at"/>.</summary>
    public static Task<Grant?> LatestAsync(ControlPlaneDbContext db, string userId, DateTime at, CancellationToken ct) =>
        db.AuditEvents.AsNoTracking()
            .Where(e => e.EntityType == "user" && e.EntityId == userId && (e.Action == AuditActions.UserCreated || e.Action == AuditActions.UserRolesChanged) && e.OccurredAtUtc <= at)
            .OrderByDescending(e => e.Sequence).Select(e => new Grant(e.Sequence, e.ActorId, e.ActorName, e.OccurredAtUtc)).FirstOrDefaultAsync(ct);

    /// <returns>Null when the actor's roles were set before the request by someone other than the requester, else why not.</returns>
    public static async Task<string?> WhyNotAsync(ControlPlaneDbContext db, PromotionRequest request, Actor actor, CancellationToken ct)
    {
        var grant = await LatestAsync(db, actor.UserId!, DateTime.MaxValue, ct);
        if (grant is null)
            return "The audit trail does not say who gave you your roles; an admin must set them again before you sign.";
        // Ordered by the audit chain, not by clock: the request's own audit event marks when it was made.
        var requestId = request.Id.ToString();
        var requested = await db.AuditEvents.AsNoTracking()
            .Where(e => e.EntityType == "promotionRequest" && e.EntityId == requestId && e.Action == "promotion.requested")
            .Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
        if (requested is { } made ? grant.Sequence > made : grant.At > request.RequestedAtUtc)
            return $"Your roles were set by {grant.ByName} at {grant.At:u}, after this request was made; only approvers appointed before a request sign it.";
        if ((grant.ById is not null && grant.ById == request.RequestedById) || string.Equals(grant.ByName, request.RequestedBy, StringComparison.OrdinalIgnoreCase))
            return $"Your roles were set by {grant.ByName}, who requested this promotion; an approver appointed by someone else must sign.";
        return null;
    }
}
