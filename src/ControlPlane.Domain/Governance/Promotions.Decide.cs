using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Signing a decision on a request.</summary>
public sealed partial class Promotions
{
    /// <summary>
    /// Signs a decision. The password is checked first (a wrong one counts toward lockout and is audited); then, under the
    /// lock, the request must still be pending with unchanged evidence, the signer must pass separation of duties, and an
    /// approval must leave no failing gate without an override. The approval that completes the request executes it.
    /// </summary>
    public Task<PromotionView> DecideAsync(Guid id, DecisionInput input, CancellationToken ct = default) =>
        RefusalsAuditedAsync("promotion.sign_refused", "promotionRequest", id.ToString(), () => SignAsync(id, input, ct));

    private async Task<PromotionView> SignAsync(Guid id, DecisionInput input, CancellationToken ct)
    {
        var caller = actor.Current;
        caller.RequireUserId();
        var approves = DecisionRules.Approves(input.Decision, input.Meaning);
        var reason = Required(input.Reason, "reason", "A signature states its reason.");
        var overrides = (input.Overrides ?? []).Select(o => new GateOverride((o.Gate ?? "").Trim(), Required(o.Reason, "overrides", "Every override states its reason."))).ToList();
        if (!approves && overrides.Count > 0)
            throw RegistryRules.Invalid("overrides", "Overrides belong to approvals.");
        // A user of the identity provider proves it is them with a fresh sign-in there; a local user types the password.
        var (signer, idp) = input.Reauthentication is { } proof
            ? await IdpSignature.VerifyAsync(scopes, audit, caller, proof, id, AuditClock.UtcNow(time), ct)
            : (await SigningPassword.VerifyAsync(scopes, audit, caller, input.Password, id, ct), null);

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
            // Evidence that changed since it was pinned (nobody signed yet) is pinned anew: the signature binds what its gates are checked on.
            if (check.Repin is not null)
                await RepinAsync(db, request, check, ct);
            if (await SeparationOfDuties.WhyNotAsync(db, request, version.CreatedBy, rules, caller, ct) is { } why)
                throw new ForbiddenException(why);
            if (approves)
                await GateOverrides.RequireCoveredAsync(db, request, rules, check.Gates, overrides, caller, ct);
            if (idp is not null)
                await IdpSignature.RequireUnusedAsync(db, signer.Id, idp, ct);

            var overridesJson = JsonSerializer.Serialize(overrides, GovernanceJson.Options);
            var decision = new PromotionDecision
            {
                Id = Guid.CreateVersion7(), RequestId = request.Id, SignerId = signer.Id, SignerName = signer.UserName ?? caller.Name,
                Decision = input.Decision, Meaning = input.Meaning, Reason = reason, Overrides = overridesJson, EvidenceHash = request.EvidenceHash, SignedAtUtc = now,
                IdpIssuer = idp?.Issuer, IdpAuthTimeUtc = idp?.AuthTimeUtc,
                SignatureHash = ElectronicSignature.Hash(request.Id, request.EvidenceHash, signer.Id, signer.UserName ?? caller.Name, input.Decision, input.Meaning, reason, now, overridesJson,
                    idp?.Issuer, idp?.AuthTimeUtc),
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
            else if ((request.Approvals = await DecisionRules.CountApprovalsAsync(db, request, rules, ct) + 1) < request.RequiredApprovals)
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
}
