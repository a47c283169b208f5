using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Who may not sign because they shaped what is signed: anyone who changed the candidate version (ever), its model or
/// its promotion policy since the model's last approved promotion, or started the evaluation the request pins. Reads
/// (downloads) and serving apps' load reports change nothing and never disqualify.
/// </summary>
internal static class GovernedChanges
{
    private static readonly string[] Reads = [AuditActions.ArtifactDownloaded, AuditActions.DatasetDownloaded, AuditActions.SignatureFailed, AuditActions.ServingLoadFailed];

    /// <returns>The change that disqualifies the actor, or null.</returns>
    public static async Task<string?> ByAsync(ControlPlaneDbContext db, PromotionRequest request, Actor actor, CancellationToken ct)
    {
        var since = await db.PromotionRequests.Where(r => r.ModelId == request.ModelId
                && (r.Status == PromotionStatus.Approved || r.Status == PromotionStatus.Revoked))
            .MaxAsync(r => r.CompletedAtUtc, ct) ?? DateTime.MinValue;
        var (versionId, modelId) = (request.ModelVersionId.ToString(), request.ModelId.ToString());
        var policies = (await db.PromotionPolicies.Where(p => p.ModelId == request.ModelId).Select(p => p.Id).ToListAsync(ct)).Select(p => p.ToString()).ToList();
        var change = await db.AuditEvents.AsNoTracking()
            .Where(e => (e.ActorId == actor.UserId || e.ActorName == actor.Name) && !Reads.Contains(e.Action))
            .Where(e => (e.EntityType == "modelVersion" && e.EntityId == versionId)
                || (e.OccurredAtUtc > since && ((e.EntityType == "model" && e.EntityId == modelId) || (e.EntityType == "promotionPolicy" && policies.Contains(e.EntityId!)))))
            .OrderBy(e => e.Sequence).Select(e => new { e.Action, e.EntityType, e.OccurredAtUtc }).FirstOrDefaultAsync(ct);
        if (change is not null)
        {
            var what = change.EntityType switch
            {
                "modelVersion" => "this version",
                "model" => "its model",
                "promotionPolicy" => "its promotion policy",
                _ => throw new InvalidOperationException($"Unexpected entity type {change.EntityType}."),
            };
            return $"You changed {what} ({change.Action} at {change.OccurredAtUtc:u}) since its last approved version; someone else must review it.";
        }
        if (PromotionEvidence.FromJson(request.Evidence).Evaluation is { } evaluation
            && await db.EvaluationRuns.AnyAsync(e => e.Id == evaluation.Id && e.RequestedBy == actor.Name, ct))
            return $"You started evaluation {evaluation.Id}, the evidence this request pins; someone else must review it.";
        return null;
    }
}
