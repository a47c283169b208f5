using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Promotion requests and their electronic signatures. Every write takes the audit chain-head lock first and re-reads
/// the request under it, so concurrent decisions serialize on every provider: one reaches the final state, the others
/// get 409. Separation of duties and roles are checked here, whoever calls.
/// </summary>
public sealed class Promotions(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IArtifactStore artifacts,
    IJobScheduler jobs,
    IServiceScopeFactory scopes,
    AuditLog audit,
    IActorContext actor,
    TimeProvider time)
{
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

    public async Task<PromotionView> RequestAsync(PromotionRequestInput input, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAuthenticated();
        var justification = Required(input.Justification, "justification", "Say why this version should be promoted.");
        var (stage, alias) = Target(input.Target);

        Guid requestId;
        IReadOnlyList<WebhookDelivery> deliveries;
        await using (var peek = await contexts.CreateDbContextAsync(ct))
        {
            var m = await ModelRegistry.FindModelAsync(peek.Models.AsNoTracking(), input.Model, ct);
            var v = await ModelRegistry.FindVersionAsync(peek.Versions.AsNoTracking(), m, input.Version, ct);
            // Hash the artifact before taking the lock: it can be large, and every writer waits on that lock.
            var intact = await ArtifactIntactAsync(v.ArtifactSha256, ct);
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditHeadLock.AcquireAsync(db, ct);
            var model = await db.Models.AsNoTracking().SingleAsync(x => x.Id == m.Id, ct);
            var version = await db.Versions.AsNoTracking().SingleAsync(x => x.Id == v.Id, ct);
            if (model.OnHold)
                throw new ConflictException($"'{model.Name}' is on hold ({model.HoldReason}); nothing is promoted until a reviewer releases it.");
            if (version.Stage == LifecycleStage.Archived)
                throw new ConflictException($"Version {version.Number} is archived; register or pick a current version.");
            if (alias is null && version.Stage == LifecycleStage.Production)
                throw new ConflictException($"Version {version.Number} is already in Production.");
            if (alias is not null && await db.Aliases.AnyAsync(a => a.ModelId == model.Id && a.Name == alias && a.ModelVersionId == version.Id, ct))
                throw new ConflictException($"The alias '{alias}' already points at version {version.Number}.");
            if (await db.PromotionRequests.AnyAsync(r => r.ModelVersionId == version.Id && r.Status == PromotionStatus.Pending && r.TargetStage == stage && r.TargetAlias == alias, ct))
                throw new ConflictException($"Version {version.Number} already has a pending request for this target; withdraw it or wait for the decision.");

            var policy = await PromotionPolicies.EffectiveAsync(db, model.Id, ct);
            if (policy.Version == 0)
                policy = await PromotionPolicies.EnsureGlobalAsync(db, ct);
            var rules = PolicyRules.FromJson(policy.Rules);
            if (!rules.RequesterRoles.Any(caller.IsInRole))
                throw new ForbiddenException($"Requesting a promotion needs the role {string.Join(" or ", rules.RequesterRoles)} (policy v{policy.Version}).");

            var now = time.GetUtcNow().UtcDateTime;
            var evidence = await EvidenceCollector.CollectAsync(db, model, version, stage, alias, policy, rules, ct);
            var evidenceJson = evidence.ToJson();
            var gates = PromotionGates.Evaluate(evidence, rules, intact);
            var request = new PromotionRequest
            {
                Id = Guid.CreateVersion7(), ModelId = model.Id, ModelVersionId = version.Id, TargetStage = stage, TargetAlias = alias,
                Justification = justification, RequestedBy = caller.Name, RequestedById = caller.UserId, RequestedAtUtc = now,
                ExpiresAtUtc = now.AddHours(rules.ExpiryHours), PolicyId = policy.Id, PolicyVersion = policy.Version,
                RequiredApprovals = rules.RequiredApprovals, Evidence = evidenceJson, EvidenceHash = PromotionEvidence.HashOf(evidenceJson),
                Gates = JsonSerializer.Serialize(gates, GovernanceJson.Options), Status = PromotionStatus.Pending, ConcurrencyStamp = Guid.NewGuid(),
            };
            db.PromotionRequests.Add(request);
            var failing = gates.Count(g => !g.Passed);
            deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionRequested,
                $"{caller.Name} asks to promote {model.Name} v{version.Number} to {request.TargetText}",
                $"{justification} ({(failing == 0 ? "all gates pass" : $"{failing} gate(s) failing")}; {rules.RequiredApprovals} approval(s) needed).",
                Link(request.Id), Payload(request, model.Name, version.Number), now, ct);
            using (AuditAmbient.BeginAction("promotion.requested", "promotionRequest", request.Id.ToString(), $"{model.Name} v{version.Number} → {request.TargetText}: {justification}"))
                await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            requestId = request.Id;
        }
        Enqueue(deliveries);
        return await GetAsync(requestId, ct);
    }

    /// <summary>The gate checklist a request for this version and target would get now; nothing is written.</summary>
    public async Task<IReadOnlyList<GateCheck>> PreviewGatesAsync(string modelName, int number, PromotionTarget target, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        var (stage, alias) = Target(target);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), modelName, ct);
        var version = await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), model, number, ct);
        var policy = await PromotionPolicies.EffectiveAsync(db, model.Id, ct);
        var rules = PolicyRules.FromJson(policy.Rules);
        var evidence = await EvidenceCollector.CollectAsync(db, model, version, stage, alias, policy, rules, ct);
        return PromotionGates.Evaluate(evidence, rules, await ArtifactIntactAsync(version.ArtifactSha256, ct));
    }

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
            request.EvidenceHash, PromotionEvidence.FromJson(request.Evidence), gates, [.. decisions.Select(SignatureOf)], previous,
            request.RevokedBy, request.RevokedAtUtc, eligibility);
    }

    /// <summary>
    /// Signs a decision. The password is checked first (a wrong one counts toward lockout and is audited); then, under the
    /// lock, the request must still be pending with unchanged evidence, the signer must pass separation of duties, and an
    /// approval must leave no failing gate without an override. The approval that completes the request executes it.
    /// </summary>
    public async Task<PromotionView> DecideAsync(Guid id, DecisionInput input, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireUserId();
        var approves = DecisionRules.Approves(input.Decision, input.Meaning);
        var reason = Required(input.Reason, "reason", "A signature states its reason.");
        var overrides = (input.Overrides ?? []).Select(o => new GateOverride((o.Gate ?? "").Trim(), Required(o.Reason, "overrides", "Every override states its reason."))).ToList();
        if (!approves && overrides.Count > 0)
            throw RegistryRules.Invalid("overrides", "Overrides belong to approvals.");
        var signer = await SigningPassword.VerifyAsync(scopes, audit, caller, input.Password, id, ct);

        string sha;
        await using (var read = await contexts.CreateDbContextAsync(ct))
            sha = await read.PromotionRequests.Where(r => r.Id == id).Join(read.Versions, r => r.ModelVersionId, v => v.Id, (r, v) => v.ArtifactSha256).SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException($"Promotion request {id} does not exist.");
        var intact = await ArtifactIntactAsync(sha, ct);

        IReadOnlyList<WebhookDelivery> deliveries = [];
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditHeadLock.AcquireAsync(db, ct);
            var request = await FindAsync(db.PromotionRequests, id, ct);
            if (request.Status != PromotionStatus.Pending)
                throw new ConflictException($"This request is already {request.Status}{(request.StatusReason is null ? "" : $": {request.StatusReason}")}");
            var model = await db.Models.SingleAsync(m => m.Id == request.ModelId, ct);
            var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Id == request.ModelVersionId, ct);
            var rules = await RulesAsync(db, request, ct);
            var now = AuditClock.UtcNow(time);
            var check = await CheckAsync(db, request, model, version, rules, intact, ct);
            if (check.CloseAs is { } closed)
            {
                deliveries = await CloseAsync(db, request, model.Name, version.Number, closed, check.Reason!, now, ct);
                await tx.CommitAsync(ct);
                Enqueue(deliveries);
                throw new ConflictException($"The request was {closed.ToString().ToLowerInvariant()} before your signature: {check.Reason} Nothing was signed.");
            }
            if (await SeparationOfDuties.WhyNotAsync(db, request, version.CreatedBy, rules, caller, ct) is { } why)
                throw new ForbiddenException(why);
            if (approves)
                await GateOverrides.RequireCoveredAsync(db, request, rules, check.Gates, overrides, caller, ct);

            var overridesJson = JsonSerializer.Serialize(overrides, GovernanceJson.Options);
            var decision = new PromotionDecision
            {
                Id = Guid.CreateVersion7(), RequestId = request.Id, SignerId = signer.Id, SignerName = signer.UserName ?? caller.Name,
                Decision = input.Decision, Meaning = input.Meaning, Reason = reason, Overrides = overridesJson, EvidenceHash = request.EvidenceHash, SignedAtUtc = now,
                SignatureHash = ElectronicSignature.Hash(request.Id, request.EvidenceHash, signer.Id, signer.UserName ?? caller.Name, input.Decision, input.Meaning, reason, now, overridesJson),
            };
            db.PromotionDecisions.Add(decision);
            request.ConcurrencyStamp = Guid.NewGuid();
            string action;
            var text = $"{model.Name} v{version.Number} → {request.TargetText}";
            if (!approves)
            {
                action = "promotion.rejected";
                PromotionStates.Close(request, PromotionStatus.Rejected, $"Rejected by {decision.SignerName}: {reason}", now);
                deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionRejected, $"{decision.SignerName} rejected {text}", reason, Link(request.Id), Payload(request, model.Name, version.Number), now, ct);
            }
            else if ((request.Approvals = await DecisionRules.CountApprovalsAsync(db, request.Id, ct) + 1) < request.RequiredApprovals)
                action = "promotion.signed";
            else
            {
                action = "promotion.approved";
                PromotionStates.Close(request, PromotionStatus.Approved, $"Approved by {request.Approvals} signer(s).", now);
                var changes = await PromotionTransitions.ExecuteAsync(db, request, model, rules, decision.SignerName, now, ct);
                var raised = new List<WebhookDelivery>(await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionApproved, $"Approved: {text}", reason, Link(request.Id), Payload(request, model.Name, version.Number), now, ct));
                foreach (var change in changes)
                    raised.AddRange(await ProductEvents.RaiseAsync(db, change.Event, change.Text, $"Promotion {request.Id} approved.", $"/models/{Uri.EscapeDataString(model.Name)}", new { model = model.Name, change = change.Text, promotion = request.Id }, now, ct, notify: false));
                deliveries = raised;
            }
            using (AuditAmbient.BeginAction(action, "promotionRequest", request.Id.ToString(), $"{decision.Meaning} by {decision.SignerName} ({text}): {reason}"))
            {
                try
                {
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                }
                catch (DbUpdateException)
                {
                    throw new ConflictException("Someone else decided this request at the same moment; reload to see its state.");
                }
            }
        }
        Enqueue(deliveries);
        return await GetAsync(id, ct);
    }

    public async Task<PromotionView> WithdrawAsync(Guid id, string? reason, CancellationToken ct = default)
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

    /// <summary>
    /// Revokes the approval that put a version where it is (Production, or behind an alias) and rolls back to what it
    /// replaced, through the same transition code as approvals.
    /// </summary>
    public async Task<PromotionView> RevokeAsync(string modelName, int number, string reason, CancellationToken ct = default)
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
            var changes = await PromotionTransitions.RollBackAsync(db, standing, model, caller.Name, why, now, ct);
            standing.Status = PromotionStatus.Revoked;
            standing.StatusReason = $"Revoked by {caller.Name}: {why}";
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

    /// <summary>Puts a model on hold (or releases it): its schedules skip their runs and its pending requests are invalidated.</summary>
    public async Task<HoldView> SetHoldAsync(string modelName, bool onHold, string reason, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.ComplianceReviewer, ControlPlaneRoles.Admin);
        var why = Required(reason, "reason", onHold ? "Say why the model is put on hold." : "Say why the hold is released.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditHeadLock.AcquireAsync(db, ct);
        var model = await ModelRegistry.FindModelAsync(db.Models, modelName, ct);
        if (model.OnHold == onHold)
            throw new ConflictException($"'{model.Name}' is {(onHold ? "already on hold" : "not on hold")}.");
        var now = time.GetUtcNow().UtcDateTime;
        model.OnHold = onHold;
        model.HoldReason = why;
        model.HoldChangedBy = caller.Name;
        model.HoldChangedAtUtc = now;
        model.ConcurrencyStamp = Guid.NewGuid();
        if (onHold)
            foreach (var pending in await db.PromotionRequests.Where(r => r.ModelId == model.Id && r.Status == PromotionStatus.Pending).ToListAsync(ct))
                PromotionStates.Close(pending, PromotionStatus.Invalidated, $"{model.Name} was put on hold by {caller.Name}: {why}", now);
        using (AuditAmbient.BeginAction(onHold ? "model.hold_placed" : "model.hold_released", "model", model.Id.ToString(), why))
            await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new HoldView(model.Name, model.OnHold, model.HoldReason, model.HoldChangedBy, model.HoldChangedAtUtc);
    }

    public async Task<HoldView> GetHoldAsync(string modelName, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), modelName, ct);
        return new HoldView(model.Name, model.OnHold, model.HoldReason, model.HoldChangedBy, model.HoldChangedAtUtc);
    }

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

    /// <summary>Closes a pending request that no longer stands; otherwise returns its checklist as it stands now.</summary>
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
        if (first.CloseAs is null)
            return new Refresh(false, first.Gates);
        // Something changed: decide again under the lock, so a concurrent decision and this close cannot both win.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditHeadLock.AcquireAsync(db, ct);
        var request = await db.PromotionRequests.SingleAsync(r => r.Id == id, ct);
        if (request.Status != PromotionStatus.Pending)
            return new Refresh(false, null);
        var check = await CheckAsync(db, request, model, version, rules, artifactIntact ?? true, ct);
        if (check.CloseAs is not { } status)
            return new Refresh(false, check.Gates);
        var deliveries = await CloseAsync(db, request, model.Name, version.Number, status, check.Reason!, time.GetUtcNow().UtcDateTime, ct);
        await tx.CommitAsync(ct);
        Enqueue(deliveries);
        return new Refresh(true, null);
    }

    private sealed record Check(PromotionStatus? CloseAs, string? Reason, IReadOnlyList<GateCheck> Gates);

    /// <summary>
    /// Whether a pending request still stands: not expired, evidence record unaltered, model not on hold, policy unchanged,
    /// and no gate that passed when it was pinned fails now (new artifact bytes, a newer failing evaluation, new drift).
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
        return broken.Count > 0
            ? new Check(PromotionStatus.Invalidated, $"Evidence changed after the request: {string.Join(" ", broken.Select(g => $"{g.Title} now fails — {g.Detail}"))}", gates)
            : new Check(null, null, gates);
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

    private async Task<bool> ArtifactIntactAsync(string sha256, CancellationToken ct)
    {
        try
        {
            await artifacts.GetLocalPathAsync(sha256, verify: true, ct);
            return true;
        }
        catch (Exception e) when (e is NotFoundException or InvalidDataException or IOException)
        {
            return false;
        }
    }

    private static async Task<PolicyRules> RulesAsync(ControlPlaneDbContext db, PromotionRequest request, CancellationToken ct) =>
        PolicyRules.FromJson(await db.PromotionPolicies.Where(p => p.Id == request.PolicyId).Select(p => p.Rules).SingleAsync(ct));

    private static async Task<PromotionRequest> FindAsync(IQueryable<PromotionRequest> requests, Guid id, CancellationToken ct) =>
        await requests.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException($"Promotion request {id} does not exist.");

    private static IReadOnlyList<GateCheck> GatesOf(PromotionRequest request) =>
        JsonSerializer.Deserialize<List<GateCheck>>(request.Gates, GovernanceJson.Options)!;

    private static SignatureView SignatureOf(PromotionDecision d) => new(
        d.Id, d.SignerName, d.Decision, d.Meaning, d.Reason, d.SignedAtUtc, d.EvidenceHash, d.SignatureHash,
        JsonSerializer.Deserialize<List<GateOverride>>(d.Overrides, GovernanceJson.Options)!);

    private static (LifecycleStage? Stage, string? Alias) Target(PromotionTarget? target)
    {
        if (target is null || (target.Stage is null) == string.IsNullOrWhiteSpace(target.Alias))
            throw RegistryRules.Invalid("target", "Name exactly one target: {\"stage\": \"Production\"} or {\"alias\": \"champion\"}.");
        if (target.Stage is { } stage && stage != LifecycleStage.Production)
            throw RegistryRules.Invalid("target", $"Promotion requests are for Production or an alias; move a version to {stage} directly.");
        return (target.Stage, target.Alias is null ? null : RegistryRules.AliasName(target.Alias));
    }

    private static string Required(string? text, string field, string message) =>
        RegistryRules.Text(text, 4000, field) is { } t && !string.IsNullOrWhiteSpace(t) ? t.Trim() : throw RegistryRules.Invalid(field, message);

    private static string Link(Guid id) => $"/promotions/{id}";

    private static object Payload(PromotionRequest r, string model, int version) => new
    {
        id = r.Id, model, version, target = new { stage = r.TargetStage?.ToString(), alias = r.TargetAlias }, status = r.Status.ToString(),
        requestedBy = r.RequestedBy, approvals = r.Approvals, requiredApprovals = r.RequiredApprovals, evidenceHash = r.EvidenceHash,
    };

    private void Enqueue(IReadOnlyList<WebhookDelivery> deliveries) => jobs.EnqueueAll(deliveries);
}
