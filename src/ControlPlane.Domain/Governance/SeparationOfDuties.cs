using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Who may sign a request, whatever roles they hold: someone with an approver role who did not ask for it, did not
/// register the version or change it, its model, its policy or its evidence, was appointed before the request by
/// someone other than its requester, and has not signed it already.
/// </summary>
internal static class SeparationOfDuties
{
    /// <returns>Null when the actor may sign, else the reason they may not.</returns>
    public static async Task<string?> WhyNotAsync(ControlPlaneDbContext db, PromotionRequest request, string versionCreatedBy, PolicyRules rules, Actor actor, CancellationToken ct)
    {
        if (!actor.IsAuthenticated || actor.UserId is null)
            return "Only a signed-in person can sign.";
        if (!rules.ApproverRoles.Any(actor.IsInRole))
            return $"Signing needs the role {string.Join(" or ", rules.ApproverRoles)} (policy v{request.PolicyVersion}).";
        if (request.RequestedById == actor.UserId || Same(request.RequestedBy, actor.Name))
            return "You requested this promotion; someone else must review it.";
        if (Same(versionCreatedBy, actor.Name))
            return "You registered this version; someone else must review it.";
        if (await GovernedChanges.ByAsync(db, request, actor, ct) is { } changed)
            return changed;
        if (await RoleGrants.WhyNotAsync(db, request, actor, ct) is { } appointed)
            return appointed;
        if (await db.PromotionDecisions.AnyAsync(d => d.RequestId == request.Id && d.SignerId == actor.UserId, ct))
            return "You have already signed this request; one person counts once.";
        return null;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
