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
public sealed partial class Promotions(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IArtifactStore artifacts,
    IJobScheduler jobs,
    IServiceScopeFactory scopes,
    AuditLog audit,
    IActorContext actor,
    TimeProvider time)
{
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

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

    /// <summary>Each signature with who had set the signer's roles when they signed (from the audit trail).</summary>
    private static async Task<IReadOnlyList<SignatureView>> SignaturesAsync(ControlPlaneDbContext db, IEnumerable<PromotionDecision> decisions, CancellationToken ct)
    {
        var views = new List<SignatureView>();
        foreach (var d in decisions)
            views.Add(new SignatureView(d.Id, d.SignerName, d.Decision, d.Meaning, d.Reason, d.SignedAtUtc, d.EvidenceHash, d.SignatureHash,
                JsonSerializer.Deserialize<List<GateOverride>>(d.Overrides, GovernanceJson.Options)!, (await RoleGrants.LatestAsync(db, d.SignerId, d.SignedAtUtc, ct))?.ByName,
                d.IdpIssuer, d.IdpAuthTimeUtc));
        return views;
    }

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
