using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Explainability;

/// <summary>
/// The attribution of a production window: each feature's drift against the reference weighed by the importance of
/// the version that served most of the window's rows (its latest evaluation that measured importance).
/// </summary>
public static class WindowAttribution
{
    public static async Task<DriftAttributionView> ForAsync(ControlPlaneDbContext db, Guid modelId, ProductionWindowResult result, CancellationToken ct)
    {
        var served = result.Served.GroupBy(s => s.Version).Select(g => (Version: g.Key, Rows: g.Sum(s => s.Rows)))
            .OrderByDescending(s => s.Rows).ThenByDescending(s => s.Version).FirstOrDefault();
        var versionId = served.Rows > 0
            ? await db.Versions.AsNoTracking().Where(v => v.ModelId == modelId && v.Number == served.Version).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct)
            : null;
        var importance = versionId is { } id ? await ModelImportance.LatestAsync(db, id, ct) : null;
        return DriftAttributionView.Build(Columns(result), importance, versionId is null ? "No version served this window, so there is no importance to weigh the drift with." : null);
    }

    public static IEnumerable<(string Column, bool Drifted, double? Drift)> Columns(ProductionWindowResult result) =>
        result.Features.Select(f => (f.Name, f.VsReference?.Drifted ?? false,
            f.VsReference is { } d ? DriftMagnitude.Of(d.Method, d.Statistic, d.ReferenceRows, d.CurrentRows, null) : null));
}
