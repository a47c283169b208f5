using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Dashboard;

/// <summary>
/// Names what a page of audit events touched, with the page that shows it, one query per entity type present (never
/// one per event). The overview's activity list and the audit page use it.
/// </summary>
internal static class ActivitySubjects
{
    public sealed record Subject(string Text, string? Link);

    public static async Task<Dictionary<(string Type, Guid Id), Subject>> ResolveAsync(ControlPlaneDbContext db, IEnumerable<(string Type, Guid Id)> refs, CancellationToken ct)
    {
        var byType = refs.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Select(r => r.Id).Distinct().ToList());
        var names = new Dictionary<(string, Guid), Subject>();
        List<Guid> Ids(string type) => byType.GetValueOrDefault(type) ?? [];

        if (Ids("model") is { Count: > 0 } models)
            foreach (var m in await db.Models.Where(m => models.Contains(m.Id)).Select(m => new { m.Id, m.Name }).ToListAsync(ct))
                names[("model", m.Id)] = new(m.Name, ModelLink(m.Name));
        if (Ids("modelVersion") is { Count: > 0 } versions)
            foreach (var v in await db.Versions.Where(v => versions.Contains(v.Id)).Select(v => new { v.Id, v.Model!.Name, v.Number }).ToListAsync(ct))
                names[("modelVersion", v.Id)] = new($"{v.Name} v{v.Number}", $"{ModelLink(v.Name)}/versions/{v.Number}");
        if (Ids("dataset") is { Count: > 0 } datasets)
            foreach (var d in await db.Datasets.Where(d => datasets.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(ct))
                names[("dataset", d.Id)] = new(d.Name, DatasetLink(d.Name));
        if (Ids("datasetVersion") is { Count: > 0 } dataVersions)
            foreach (var v in await db.DatasetVersions.Where(v => dataVersions.Contains(v.Id)).Select(v => new { v.Id, v.Dataset!.Name, v.Number }).ToListAsync(ct))
                names[("datasetVersion", v.Id)] = new($"{v.Name} v{v.Number}", $"{DatasetLink(v.Name)}/versions/{v.Number}");
        if (Ids("evaluationRun") is { Count: > 0 } evaluations)
            foreach (var e in await db.EvaluationRuns.Where(e => evaluations.Contains(e.Id))
                         .Select(e => new { e.Id, Model = e.ModelVersion!.Model!.Name, e.ModelVersion.Number, Dataset = e.DatasetVersion!.Dataset!.Name, DataNumber = e.DatasetVersion.Number }).ToListAsync(ct))
                names[("evaluationRun", e.Id)] = new($"{e.Model} v{e.Number} on {e.Dataset} v{e.DataNumber}", $"/evaluations/{e.Id}");
        if (Ids("driftMonitor") is { Count: > 0 } monitors)
            foreach (var m in await db.DriftMonitors.Where(m => monitors.Contains(m.Id)).Select(m => new { m.Id, m.Name }).ToListAsync(ct))
                names[("driftMonitor", m.Id)] = new(m.Name, $"/drift/monitors/{m.Id}");
        if (Ids("driftRun") is { Count: > 0 } runs)
            foreach (var r in await db.DriftRuns.Where(r => runs.Contains(r.Id)).Select(r => new { r.Id, r.MonitorId, r.Monitor!.Name }).ToListAsync(ct))
                names[("driftRun", r.Id)] = new(r.Name, $"/drift/monitors/{r.MonitorId}?run={r.Id}");
        if (Ids("trainingSpec") is { Count: > 0 } specs)
            foreach (var t in await db.TrainingSpecs.Where(t => specs.Contains(t.Id)).Select(t => new { t.Id, t.Name, Model = t.Model!.Name }).ToListAsync(ct))
                names[("trainingSpec", t.Id)] = new($"{t.Model} / {t.Name}", $"/training/specs/{t.Id}");
        if (Ids("trainingRun") is { Count: > 0 } trainings)
            foreach (var t in await db.TrainingRuns.Where(t => trainings.Contains(t.Id)).Select(t => new { t.Id, Spec = t.Spec!.Name, Model = t.Spec.Model!.Name }).ToListAsync(ct))
                names[("trainingRun", t.Id)] = new($"{t.Model} / {t.Spec} run", $"/training/runs/{t.Id}");
        if (Ids("promotionRequest") is { Count: > 0 } requests)
            foreach (var r in await db.PromotionRequests.Where(r => requests.Contains(r.Id))
                         .Join(db.Versions, r => r.ModelVersionId, v => v.Id, (r, v) => new { r.Id, v.Model!.Name, v.Number, r.TargetStage, r.TargetAlias }).ToListAsync(ct))
                names[("promotionRequest", r.Id)] = new($"{r.Name} v{r.Number} → {r.TargetAlias ?? r.TargetStage?.ToString()}", $"/promotions/{r.Id}");
        if (Ids("user") is { Count: > 0 } users)
        {
            var keys = users.Select(u => u.ToString()).ToList();
            foreach (var u in await db.Users.Where(u => keys.Contains(u.Id)).Select(u => new { u.Id, u.UserName }).ToListAsync(ct))
                names[("user", Guid.Parse(u.Id))] = new(u.UserName ?? u.Id, null);
        }
        return names;
    }

    private static string ModelLink(string name) => $"/models/{Uri.EscapeDataString(name)}";
    private static string DatasetLink(string name) => $"/datasets/{Uri.EscapeDataString(name)}";
}
