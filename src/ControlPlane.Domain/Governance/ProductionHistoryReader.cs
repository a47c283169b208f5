using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Answers "which version was in Production at time T" from the hash-chained audit trail itself (the Stage changes it
/// recorded), not from the registry's mutable rows, so the answer is as trustworthy as the chain.
/// </summary>
public sealed class ProductionHistoryReader(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor)
{
    public async Task<ProductionHistory> ReadAsync(string modelName, DateTime? at = null, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), modelName, ct);
        var numbers = await db.Versions.AsNoTracking().Where(v => v.ModelId == model.Id)
            .ToDictionaryAsync(v => v.Id.ToString(), v => v.Number, StringComparer.OrdinalIgnoreCase, ct);
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Changes.Contains("\"modelVersion\"") && e.Changes.Contains("\"Stage\"") && e.Changes.Contains("Production"))
            .OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.OccurredAtUtc, e.ActorName, e.Reason, e.Changes }).ToListAsync(ct);

        var periods = new List<ProductionPeriod>();
        var open = new Dictionary<int, int>(); // version → index of its open period
        foreach (var e in events)
        {
            foreach (var change in AuditChange.FromJson(e.Changes))
            {
                if (change.EntityType != "modelVersion" || change.Field != nameof(ModelVersion.Stage) || !numbers.TryGetValue(change.EntityId, out var number))
                    continue;
                if (change.Old == nameof(LifecycleStage.Production) && open.Remove(number, out var index))
                    periods[index] = periods[index] with { To = e.OccurredAtUtc };
                if (change.New == nameof(LifecycleStage.Production))
                {
                    open[number] = periods.Count;
                    periods.Add(new ProductionPeriod(number, e.OccurredAtUtc, null, e.ActorName, e.Sequence, e.Reason));
                }
            }
        }
        int? versionAt = at is { } t
            ? periods.LastOrDefault(p => p.From <= t.ToUniversalTime() && (p.To is null || t.ToUniversalTime() < p.To))?.Version
            : null;
        return new ProductionHistory(model.Name, periods, at, versionAt);
    }
}
