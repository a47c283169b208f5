using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Asking for a promotion: the request pins its evidence and policy.</summary>
public sealed partial class Promotions
{
    public Task<PromotionView> RequestAsync(PromotionRequestInput input, CancellationToken ct = default) =>
        RefusalsAuditedAsync("promotion.request_refused", "model", input.Model ?? "", () => OpenAsync(input, ct));

    private async Task<PromotionView> OpenAsync(PromotionRequestInput input, CancellationToken ct)
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
            // A protected alias left on an unapproved version (protection added later) may be approved where it points.
            if (alias is not null && await db.Aliases.AnyAsync(a => a.ModelId == model.Id && a.Name == alias && a.ModelVersionId == version.Id, ct)
                && !await UnapprovedAliases.IsUnapprovedAsync(db, model.Id, alias, ct))
                throw new ConflictException($"The alias '{alias}' already points at version {version.Number}.");
            if (await db.PromotionRequests.AnyAsync(r => r.ModelVersionId == version.Id && r.Status == PromotionStatus.Pending && r.TargetStage == stage && r.TargetAlias == alias, ct))
                throw new ConflictException($"Version {version.Number} already has a pending request for this target; withdraw it or wait for the decision.");

            var policy = await PromotionPolicies.EffectiveAsync(db, model.Id, ct);
            if (policy.Version == 0)
                policy = await PromotionPolicies.EnsureGlobalAsync(db, ct);
            var rules = PolicyRules.FromJson(policy.Rules);
            if (!rules.RequesterRoles.Any(caller.IsInRole))
                throw new ForbiddenException($"Requesting a promotion needs the role {string.Join(" or ", rules.RequesterRoles)} (policy v{policy.Version}).");
            // An alias no policy protects is the model's own business: asking to move it is moving it.
            if (alias is not null && !rules.ProtectedAliases.Contains(alias, StringComparer.Ordinal))
                await Registry.Permissions.ModelPermissionCheck.RequireAsync(db, caller, model, Registry.Permissions.ModelAction.MoveAliases, ct);

            var now = time.GetUtcNow().UtcDateTime;
            await RequireCooledDownAsync(db, version, stage, alias, rules, now, ct);
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

    /// <summary>A policy's cool-down: after a rejection, the same version waits that long before it is asked for again.</summary>
    private static async Task RequireCooledDownAsync(ControlPlaneDbContext db, ModelVersion version, LifecycleStage? stage, string? alias, PolicyRules rules, DateTime now, CancellationToken ct)
    {
        if (rules.RejectionCooldownHours == 0)
            return;
        var since = now.AddHours(-rules.RejectionCooldownHours);
        var rejected = await db.PromotionRequests.AsNoTracking()
            .Where(r => r.ModelVersionId == version.Id && r.TargetStage == stage && r.TargetAlias == alias && r.Status == PromotionStatus.Rejected && r.CompletedAtUtc > since)
            .OrderByDescending(r => r.CompletedAtUtc).FirstOrDefaultAsync(ct);
        if (rejected is not null)
            throw new ConflictException($"Version {version.Number} was rejected at {rejected.CompletedAtUtc:u} ({rejected.StatusReason}); the policy's cool-down allows a new request after {rejected.CompletedAtUtc!.Value.AddHours(rules.RejectionCooldownHours):u}.");
    }
}
