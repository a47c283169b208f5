using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// What a signature decides. The sets are closed: a value outside them is refused, never read as one of them, and only
/// an explicit <see cref="DecisionKind.Approve"/> reaches the approval path.
/// </summary>
public static class DecisionRules
{
    /// <summary>Whether the decision approves; throws a validation error for undefined values and inconsistent meanings.</summary>
    public static bool Approves(DecisionKind decision, SignatureMeaning meaning)
    {
        var approves = decision switch
        {
            DecisionKind.Approve => true,
            DecisionKind.Reject => false,
            _ => throw RegistryRules.Invalid("decision", $"A decision is {string.Join(" or ", Enum.GetNames<DecisionKind>())}."),
        };
        var consistent = meaning switch
        {
            SignatureMeaning.Approved or SignatureMeaning.Reviewed => approves,
            SignatureMeaning.Rejected => !approves,
            _ => throw RegistryRules.Invalid("meaning", $"A signature means {string.Join(", ", Enum.GetNames<SignatureMeaning>())}."),
        };
        return consistent ? approves : throw RegistryRules.Invalid("meaning", approves
            ? "An approval means Approved or Reviewed." : "A rejection means Rejected.");
    }

    /// <summary>
    /// Approvals that count on a request now, recounted from the decision rows (never from a stored counter): approvals
    /// bound to the request's current evidence hash, by signers whose account is still enabled and who still hold one of
    /// the policy's approver roles.
    /// </summary>
    public static Task<int> CountApprovalsAsync(ControlPlaneDbContext db, PromotionRequest request, PolicyRules rules, CancellationToken ct)
    {
        var approverRoles = db.Roles.Where(r => rules.ApproverRoles.Contains(r.Name!)).Select(r => r.Id);
        return db.PromotionDecisions.CountAsync(d => d.RequestId == request.Id && d.Decision == DecisionKind.Approve && d.EvidenceHash == request.EvidenceHash
            && db.Users.Any(u => u.Id == d.SignerId && !u.IsDisabled)
            && db.UserRoles.Any(ur => ur.UserId == d.SignerId && approverRoles.Contains(ur.RoleId)), ct);
    }
}
