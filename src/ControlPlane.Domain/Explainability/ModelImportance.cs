using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Explainability;

/// <summary>
/// A model version's permutation importance from its latest succeeded evaluation that measured some: each feature's
/// mean drop of the main metric, most important first (rank 1).
/// </summary>
public sealed record ModelImportance(Guid EvaluationId, string Metric, IReadOnlyList<(string Feature, double Mean)> Features)
{
    public static async Task<ModelImportance?> LatestAsync(ControlPlaneDbContext db, Guid modelVersionId, CancellationToken ct)
    {
        var runs = await db.EvaluationRuns.AsNoTracking()
            .Where(e => e.ModelVersionId == modelVersionId && e.Status == EvaluationStatus.Succeeded && e.ImportanceRepeats != null && e.Details != null)
            .OrderByDescending(e => e.CompletedAtUtc).Select(e => new { e.Id, e.Details }).Take(5).ToListAsync(ct);
        return runs.Select(r => Parse(r.Id, r.Details!)).FirstOrDefault(i => i is not null);
    }

    /// <summary>The importance in an evaluation's details JSON; null when it has none with figures.</summary>
    public static ModelImportance? Parse(Guid evaluationId, string detailsJson)
    {
        using var details = JsonDocument.Parse(detailsJson);
        if (!details.RootElement.TryGetProperty("importance", out var importance) || importance.ValueKind != JsonValueKind.Object
            || !importance.TryGetProperty("features", out var features) || features.GetArrayLength() == 0)
            return null;
        var metric = importance.TryGetProperty("metric", out var m) ? m.GetString() ?? "" : "";
        var list = features.EnumerateArray()
            .Select(f => (f.GetProperty("feature").GetString()!, f.GetProperty("mean").ValueKind == JsonValueKind.Number ? f.GetProperty("mean").GetDouble() : double.NaN))
            .OrderByDescending(f => f.Item2).ToList();
        return new ModelImportance(evaluationId, metric, list);
    }
}
