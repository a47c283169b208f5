using System.Text.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

internal static class GateOverrides
{
    /// <summary>Every gate failing now must be overridden, by this signer or an earlier one, under a policy that allows it.</summary>
    public static async Task RequireCoveredAsync(ControlPlaneDbContext db, PromotionRequest request, PolicyRules rules, IReadOnlyList<GateCheck> gates, List<GateOverride> overrides, Actor caller, CancellationToken ct)
    {
        var failing = gates.Where(g => !g.Passed).ToList();
        if (overrides.Count > 0)
        {
            if (!rules.AllowOverride)
                throw new ForbiddenException($"Policy v{request.PolicyVersion} does not allow overriding gates.");
            if (!rules.OverrideRoles.Any(caller.IsInRole))
                throw new ForbiddenException($"Overriding a gate needs the role {string.Join(" or ", rules.OverrideRoles)}.");
            foreach (var o in overrides.Where(o => failing.All(g => g.Key != o.Gate)))
                throw RegistryRules.Invalid("overrides", $"'{o.Gate}' is not a failing gate of this request.");
        }
        var earlier = (await db.PromotionDecisions.AsNoTracking().Where(d => d.RequestId == request.Id).Select(d => d.Overrides).ToListAsync(ct))
            .SelectMany(json => JsonSerializer.Deserialize<List<GateOverride>>(json, GovernanceJson.Options)!).Select(o => o.Gate);
        var covered = earlier.Concat(overrides.Select(o => o.Gate)).ToHashSet(StringComparer.Ordinal);
        var blocking = failing.Where(g => !covered.Contains(g.Key)).ToList();
        if (blocking.Count > 0)
            throw new ConflictException($"Approval is blocked by failing gates: {string.Join(" ", blocking.Select(g => $"{g.Title} ({g.Key}): {g.Detail}"))}"
                + (rules.AllowOverride ? $" A signer with the role {string.Join(" or ", rules.OverrideRoles)} may override them with a reason." : " The policy allows no overrides."));
    }
}
