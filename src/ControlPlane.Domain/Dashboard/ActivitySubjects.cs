using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Dashboard;

/// <summary>Names what a page of audit events touched, one query per entity type present (never one per event).</summary>
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
        return names;
    }

    private static string ModelLink(string name) => $"/models/{Uri.EscapeDataString(name)}";
    private static string DatasetLink(string name) => $"/datasets/{Uri.EscapeDataString(name)}";
}
