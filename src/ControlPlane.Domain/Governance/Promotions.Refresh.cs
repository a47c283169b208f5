using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Closing pending requests that expired or whose evidence no longer holds, on read, before signing and in the sweep.</summary>
public sealed partial class Promotions
{
    /// <summary>Closes every pending request that expired or whose evidence no longer holds (the periodic sweep).</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        List<Guid> pending;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            pending = await db.PromotionRequests.AsNoTracking().Where(r => r.Status == PromotionStatus.Pending).Select(r => r.Id).ToListAsync(ct);
        var closed = 0;
        foreach (var id in pending)
            if ((await RefreshAsync(id, artifactIntact: null, ct)).Closed)
                closed++;
        return closed;
    }

    private sealed record Refresh(bool Closed, IReadOnlyList<GateCheck>? LiveGates);

    /// <summary>
    /// Closes a pending request that no longer stands, re-pins one whose evidence changed without breaking a gate and
    /// that nobody signed yet; returns its checklist as it stands now.
    /// </summary>
    private async Task<Refresh> RefreshAsync(Guid id, bool? artifactIntact, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var snapshot = await db.PromotionRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (snapshot is null || snapshot.Status != PromotionStatus.Pending)
            return new Refresh(false, null);
        var model = await db.Models.AsNoTracking().SingleAsync(m => m.Id == snapshot.ModelId, ct);
        var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Id == snapshot.ModelVersionId, ct);
        var rules = await RulesAsync(db, snapshot, ct);
        var first = await CheckAsync(db, snapshot, model, version, rules, artifactIntact ?? true, ct);
        if (first.CloseAs is null && first.Repin is null)
            return new Refresh(false, first.Gates);
        // Something changed: decide again under the lock, so a concurrent decision and this change cannot both win.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditHeadLock.AcquireAsync(db, ct);
        var request = await db.PromotionRequests.SingleAsync(r => r.Id == id, ct);
        if (request.Status != PromotionStatus.Pending)
            return new Refresh(false, null);
        var check = await CheckAsync(db, request, model, version, rules, artifactIntact ?? true, ct);
        if (check.Repin is not null)
        {
            await RepinAsync(db, request, check, ct);
            await tx.CommitAsync(ct);
            return new Refresh(false, check.Gates);
        }
        if (check.CloseAs is not { } status)
            return new Refresh(false, check.Gates);
        var deliveries = await CloseAsync(db, request, model.Name, version.Number, status, check.Reason!, time.GetUtcNow().UtcDateTime, ct);
        await tx.CommitAsync(ct);
        Enqueue(deliveries);
        return new Refresh(true, null);
    }

    /// <param name="Repin">Evidence to pin instead of the pinned one (it changed, no gate broke, nobody signed yet).</param>
    private sealed record Check(PromotionStatus? CloseAs, string? Reason, IReadOnlyList<GateCheck> Gates, PromotionEvidence? Repin = null);

    /// <summary>
    /// Whether a pending request still stands: not expired, evidence record unaltered, model not on hold, policy unchanged,
    /// no gate that passed when it was pinned fails now (new artifact bytes, a newer failing evaluation, new drift), and
    /// no drift monitor it pinned was disabled or unlinked. Evidence that changed otherwise is re-pinned when nobody has
    /// signed yet, and closes the request when someone has: a signature binds the evidence its gates were checked on.
    /// </summary>
    private async Task<Check> CheckAsync(ControlPlaneDbContext db, PromotionRequest request, RegisteredModel model, ModelVersion version, PolicyRules rules, bool artifactIntact, CancellationToken ct)
    {
        var pinnedGates = GatesOf(request);
        var now = time.GetUtcNow().UtcDateTime;
        if (now >= request.ExpiresAtUtc)
            return new Check(PromotionStatus.Expired, $"It expired at {request.ExpiresAtUtc:u} without enough approvals.", pinnedGates);
        if (PromotionEvidence.HashOf(request.Evidence) != request.EvidenceHash)
            return new Check(PromotionStatus.Invalidated, "The stored evidence no longer matches its hash.", pinnedGates);
        if (model.OnHold)
            return new Check(PromotionStatus.Invalidated, $"{model.Name} is on hold: {model.HoldReason}", pinnedGates);
        var policy = await PromotionPolicies.EffectiveAsync(db, model.Id, ct);
        if (policy.Id != request.PolicyId && policy.Version != 0)
            return new Check(PromotionStatus.Invalidated, $"The promotion policy changed (now v{policy.Version}).", pinnedGates);
        var pinned = PromotionEvidence.FromJson(request.Evidence);
        if (version.ArtifactSha256 != pinned.ArtifactSha256)
            return new Check(PromotionStatus.Invalidated, $"The artifact hash changed from {pinned.ArtifactSha256} to {version.ArtifactSha256}.", pinnedGates);
        if (version.Stage == LifecycleStage.Archived)
            return new Check(PromotionStatus.Invalidated, $"Version {version.Number} was archived.", pinnedGates);
        var pinnedPolicy = await db.PromotionPolicies.AsNoTracking().SingleAsync(p => p.Id == request.PolicyId, ct);
        var fresh = await EvidenceCollector.CollectAsync(db, model, version, request.TargetStage, request.TargetAlias, pinnedPolicy, rules, ct);
        var gates = PromotionGates.Evaluate(fresh, rules, artifactIntact);
        var passedBefore = pinnedGates.Where(g => g.Passed).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var broken = gates.Where(g => !g.Passed && (passedBefore.Contains(g.Key) || pinnedGates.All(p => p.Key != g.Key))).ToList();
        if (broken.Count > 0)
            return new Check(PromotionStatus.Invalidated, $"Evidence changed after the request: {string.Join(" ", broken.Select(g => $"{g.Title} now fails — {g.Detail}"))}", gates);
        if (EvidenceChanges.MonitorsGone(pinned, fresh) is { Count: > 0 } gone)
            return new Check(PromotionStatus.Invalidated, $"Drift monitor {string.Join(", ", gone.Select(m => m.Monitor))} was disabled or unlinked after the request; its verdict is no longer part of the evidence.", gates);
        if (PromotionEvidence.HashOf(fresh.ToJson()) == request.EvidenceHash)
            return new Check(null, null, gates);
        var signatures = await db.PromotionDecisions.CountAsync(d => d.RequestId == request.Id, ct);
        return signatures == 0
            ? new Check(null, null, gates, fresh)
            : new Check(PromotionStatus.Invalidated, $"Evidence changed after {signatures} signature(s): {string.Join(", ", EvidenceChanges.Between(pinned, fresh))}. Request again so that every signature binds the same evidence.", gates);
    }

    /// <summary>Pins the evidence as it stands now, with its new hash and checklist; audited on its own.</summary>
    private static async Task RepinAsync(ControlPlaneDbContext db, PromotionRequest request, Check check, CancellationToken ct)
    {
        var pinned = PromotionEvidence.FromJson(request.Evidence);
        var fresh = check.Repin!;
        var json = fresh.ToJson();
        var (before, after) = (request.EvidenceHash, PromotionEvidence.HashOf(json));
        request.Evidence = json;
        request.EvidenceHash = after;
        request.Gates = JsonSerializer.Serialize(check.Gates, GovernanceJson.Options);
        request.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction("promotion.repinned", "promotionRequest", request.Id.ToString(),
                   $"Evidence re-pinned before any signature ({string.Join(", ", EvidenceChanges.Between(pinned, fresh))}): {before} → {after}"))
            await db.SaveChangesAsync(ct);
    }

    private async Task<IReadOnlyList<WebhookDelivery>> CloseAsync(ControlPlaneDbContext db, PromotionRequest request, string model, int number, PromotionStatus status, string reason, DateTime now, CancellationToken ct)
    {
        PromotionStates.Close(request, status, reason, now);
        var deliveries = await ProductEvents.RaiseAsync(db, status == PromotionStatus.Expired ? "promotion.expired" : "promotion.invalidated",
            $"Promotion of {model} v{number} to {request.TargetText} {status.ToString().ToLowerInvariant()}", reason, Link(request.Id), Payload(request, model, number), now, ct);
        using (AuditAmbient.BeginAction(status == PromotionStatus.Expired ? "promotion.expired" : "promotion.invalidated", "promotionRequest", request.Id.ToString(), reason))
            await db.SaveChangesAsync(ct);
        return deliveries;
    }
}
