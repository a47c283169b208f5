using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Reading requests: lists, the inbox and one request with its checklist as it stands now.</summary>
public sealed partial class Promotions
{
    public async Task<Page<PromotionSummary>> ListAsync(PageRequest page, PromotionStatus? status = null, string? model = null, bool inbox = false, int? version = null, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.PromotionRequests.AsNoTracking();
        if (inbox)
            status = PromotionStatus.Pending;
        if (status is { } s)
            query = query.Where(r => r.Status == s);
        if (!string.IsNullOrWhiteSpace(model))
        {
            var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
            query = query.Where(r => r.ModelId == m.Id);
            if (version is { } number)
            {
                var v = await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), m, number, ct);
                query = query.Where(r => r.ModelVersionId == v.Id);
            }
        }
        if (inbox)
            query = await AssignedToAsync(db, query, caller, ct);
        // Pending rows on this page are checked first, so nobody is shown a request that no longer stands.
        var pendingOnPage = await query.OrderByDescending(r => r.RequestedAtUtc).ThenByDescending(r => r.Id).Skip(page.Skip).Take(page.Take)
            .Where(r => r.Status == PromotionStatus.Pending).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in pendingOnPage)
            await RefreshAsync(id, artifactIntact: null, ct);
        var total = await query.CountAsync(ct);
        var rows = await query.Join(db.Versions, r => r.ModelVersionId, v => v.Id, (r, v) => new { r, v.Number, Model = v.Model!.Name })
            .OrderByDescending(x => x.r.RequestedAtUtc).ThenByDescending(x => x.r.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return new Page<PromotionSummary>([.. rows.Select(x => new PromotionSummary(
            x.r.Id, x.Model, x.Number, x.r.TargetStage, x.r.TargetAlias, x.r.RequestedBy, x.r.RequestedAtUtc, x.r.ExpiresAtUtc, x.r.Status,
            x.r.StatusReason, x.r.Approvals, x.r.RequiredApprovals, GatesOf(x.r).Count(g => !g.Passed)))], total);
    }

    /// <summary>How many pending requests wait for the caller's signature (the navigation badge): a count, without re-checking each one.</summary>
    public async Task<int> CountInboxAsync(CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = db.PromotionRequests.AsNoTracking().Where(r => r.Status == PromotionStatus.Pending);
        return await (await AssignedToAsync(db, pending, caller, ct)).CountAsync(ct);
    }

    /// <summary>
    /// Requests assigned to the caller by role under each request's pinned policy; those the caller asked for or already
    /// signed are not theirs to review.
    /// </summary>
    private static async Task<IQueryable<PromotionRequest>> AssignedToAsync(ControlPlaneDbContext db, IQueryable<PromotionRequest> query, Actor caller, CancellationToken ct)
    {
        var policies = await db.PromotionPolicies.AsNoTracking().Where(p => query.Select(r => r.PolicyId).Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => PolicyRules.FromJson(p.Rules), ct);
        var assigned = policies.Where(p => p.Value.ApproverRoles.Any(caller.IsInRole)).Select(p => p.Key).ToList();
        var userId = caller.UserId ?? "";
        return query.Where(r => assigned.Contains(r.PolicyId) && r.RequestedById != userId && r.RequestedBy != caller.Name
            && !db.PromotionDecisions.Any(d => d.RequestId == r.Id && d.SignerId == userId));
    }

    /// <summary>One request with its checklist as it stands now; a pending request whose evidence changed or that expired is closed here, saying why.</summary>
    public async Task<PromotionView> GetAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        var live = (await RefreshAsync(id, artifactIntact: null, ct)).LiveGates;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var request = await FindAsync(db.PromotionRequests.AsNoTracking(), id, ct);
        var model = await db.Models.AsNoTracking().SingleAsync(m => m.Id == request.ModelId, ct);
        var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Id == request.ModelVersionId, ct);
        var rules = await RulesAsync(db, request, ct);
        var gates = request.Status == PromotionStatus.Pending && live is not null ? live : GatesOf(request);
        var decisions = await db.PromotionDecisions.AsNoTracking().Where(d => d.RequestId == id).OrderBy(d => d.SignedAtUtc).ToListAsync(ct);
        var previous = request.PreviousVersionId is { } p ? await db.Versions.Where(v => v.Id == p).Select(v => (int?)v.Number).SingleAsync(ct) : null;
        var eligibility = request.Status != PromotionStatus.Pending
            ? new SigningEligibility(false, $"The request is {request.Status}.", false)
            : await SeparationOfDuties.WhyNotAsync(db, request, version.CreatedBy, rules, actor.Current, ct) is { } why
                ? new SigningEligibility(false, why, false)
                : new SigningEligibility(true, null, rules.AllowOverride && rules.OverrideRoles.Any(actor.Current.IsInRole));
        return new PromotionView(
            request.Id, model.Name, version.Number, request.TargetStage, request.TargetAlias, request.Justification, request.RequestedBy,
            request.RequestedAtUtc, request.ExpiresAtUtc, request.Status, request.StatusReason, request.CompletedAtUtc, request.PolicyVersion,
            await db.PromotionPolicies.AnyAsync(x => x.Id == request.PolicyId && x.ModelId != null, ct), request.Approvals, request.RequiredApprovals,
            request.EvidenceHash, PromotionEvidence.FromJson(request.Evidence), gates, await SignaturesAsync(db, decisions, ct), previous,
            request.RevokedBy, request.RevokedAtUtc, eligibility, await EarlierDecisionsAsync(db, request, ct));
    }

    /// <summary>Every signature on the version's other requests, oldest first, so a re-request shows its earlier rejection.</summary>
    private static async Task<IReadOnlyList<EarlierDecision>> EarlierDecisionsAsync(ControlPlaneDbContext db, PromotionRequest request, CancellationToken ct)
    {
        var rows = await db.PromotionDecisions.AsNoTracking()
            .Join(db.PromotionRequests.Where(r => r.ModelVersionId == request.ModelVersionId && r.Id != request.Id), d => d.RequestId, r => r.Id, (d, r) => new { d, r })
            .OrderBy(x => x.d.SignedAtUtc).ToListAsync(ct);
        return [.. rows.Select(x => new EarlierDecision(x.r.Id, x.r.TargetText, x.r.Status, x.d.SignerName, x.d.Decision, x.d.Reason, x.d.SignedAtUtc))];
    }
}
