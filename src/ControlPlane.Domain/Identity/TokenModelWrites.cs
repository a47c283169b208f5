using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Identity;

/// <summary>
/// What a save by a token limited to some models may change: it must change something that belongs to a model (a
/// model, its tags, versions, stages, aliases, specs and training runs, evaluations, monitors and their runs,
/// promotion requests, decisions and policies), and everything it changes that belongs to a model must belong to one
/// of its models. Rows that only follow such a change (audit events, notifications, webhook deliveries) ride along;
/// a save of nothing model-bound (a dataset upload, a user) is refused, but for the token's own tokens. This holds
/// however the change was reached, by name or by id.
/// </summary>
internal static class TokenModelWrites
{
    public static async Task<string?> RefusalAsync(DbContext db, IReadOnlySet<string> allowed, CancellationToken ct)
    {
        var changed = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).Select(e => e.Entity).ToList();
        // Its own tokens (made within its limits, or revoked) belong to no model and are the token's own business.
        if (changed.All(e => e is PersonalAccessToken or Audit.AuditEvent))
            return null;
        var models = new HashSet<Guid>();
        var versions = new HashSet<Guid>();
        var specs = new HashSet<Guid>();
        var requests = new HashSet<Guid>();
        var monitors = new HashSet<Guid>();
        var monitorsWithoutModel = 0;
        foreach (var entity in changed)
        {
            switch (entity)
            {
                case RegisteredModel m: models.Add(m.Id); break;
                case ModelTag t: models.Add(t.ModelId); break;
                case ModelVersion v: models.Add(v.ModelId); break;
                case ModelAlias a: models.Add(a.ModelId); break;
                case StageTransition s: versions.Add(s.ModelVersionId); break;
                case TrainingSpec s: models.Add(s.ModelId); break;
                case TrainingRun r: specs.Add(r.SpecId); break;
                case EvaluationRun r: versions.Add(r.ModelVersionId); break;
                case DriftMonitor m when m.ModelVersionId is { } version: versions.Add(version); break;
                case DriftMonitor: monitorsWithoutModel++; break;
                case DriftRun r: monitors.Add(r.MonitorId); break;
                case PromotionRequest r: models.Add(r.ModelId); break;
                case PromotionDecision d: requests.Add(d.RequestId); break;
                case PromotionPolicy { ModelId: { } model }: models.Add(model); break;
                case Registry.Permissions.ModelPermissionSet p: models.Add(p.ModelId); break;
                case Production.TelemetrySegment s: models.Add(s.ModelId); break;
            }
        }
        if (monitorsWithoutModel > 0)
            return "a drift monitor that watches no model";
        if (monitors.Count > 0)
        {
            var watched = await db.Set<DriftMonitor>().AsNoTracking().Where(m => monitors.Contains(m.Id)).Select(m => m.ModelVersionId).ToListAsync(ct);
            if (watched.Any(v => v is null))
                return "a drift monitor that watches no model";
            versions.UnionWith(watched.Select(v => v!.Value));
        }
        // Only the lookups this save needs: most saves touch one kind of row.
        if (versions.Count > 0)
            models.UnionWith(await db.Set<ModelVersion>().AsNoTracking().Where(v => versions.Contains(v.Id)).Select(v => v.ModelId).ToListAsync(ct));
        if (specs.Count > 0)
            models.UnionWith(await db.Set<TrainingSpec>().AsNoTracking().Where(s => specs.Contains(s.Id)).Select(s => s.ModelId).ToListAsync(ct));
        if (requests.Count > 0)
            models.UnionWith(await db.Set<PromotionRequest>().AsNoTracking().Where(r => requests.Contains(r.Id)).Select(r => r.ModelId).ToListAsync(ct));
        if (models.Count == 0)
            return "something that belongs to no model";
        // A model being created in this save is not in the table yet: its name is on the tracked entity.
        var names = changed.OfType<RegisteredModel>().Where(m => models.Contains(m.Id)).Select(m => m.Name).ToList();
        var stored = models.Except(changed.OfType<RegisteredModel>().Select(m => m.Id)).ToList();
        if (stored.Count > 0)
            names.AddRange(await db.Set<RegisteredModel>().AsNoTracking().Where(m => stored.Contains(m.Id)).Select(m => m.Name).ToListAsync(ct));
        var outside = names.Where(n => !allowed.Contains(n)).ToList();
        return outside.Count > 0 ? $"the model {string.Join(", ", outside.Order(StringComparer.Ordinal))}" : null;
    }
}
