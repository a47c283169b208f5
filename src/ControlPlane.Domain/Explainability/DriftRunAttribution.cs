using System.Text.Json;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Explainability;

/// <summary>The attribution of a dataset drift run: its columns (from the stored results) weighed by the monitor's model version's importance.</summary>
public static class DriftRunAttribution
{
    public static async Task<DriftAttributionView?> ForAsync(ControlPlaneDbContext db, Guid monitorId, JsonElement? results, CancellationToken ct)
    {
        if (results is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("columns", out var columns))
            return null;
        var versionId = await db.DriftMonitors.AsNoTracking().Where(m => m.Id == monitorId).Select(m => m.ModelVersionId).SingleOrDefaultAsync(ct);
        var importance = versionId is { } id ? await ModelImportance.LatestAsync(db, id, ct) : null;
        return DriftAttributionView.Build(columns.EnumerateArray().Select(Column), importance, versionId is null ? DriftAttributionView.NoModel : null);
    }

    /// <summary>A column of <c>DatasetDriftResult</c> as stored: its deciding test (the first) and the first histogram's bins.</summary>
    internal static (string Column, bool Drifted, double? Drift) Column(JsonElement column)
    {
        var name = column.GetProperty("name").GetString()!;
        var drifted = column.TryGetProperty("drifted", out var d) && d.ValueKind == JsonValueKind.True;
        if (!column.TryGetProperty("tests", out var tests) || tests.GetArrayLength() == 0)
            return (name, drifted, null);
        var test = tests[0];
        if (test.GetProperty("statistic").ValueKind != JsonValueKind.Number)
            return (name, drifted, null);
        List<(long, long)>? bins = null;
        if (column.TryGetProperty("histograms", out var histograms) && histograms.GetArrayLength() > 0)
            bins = [.. histograms[0].GetProperty("bins").EnumerateArray().Select(b => (b.GetProperty("reference").GetInt64(), b.GetProperty("current").GetInt64()))];
        return (name, drifted, DriftMagnitude.Of(test.GetProperty("method").GetString()!, test.GetProperty("statistic").GetDouble(),
            column.GetProperty("referenceCount").GetInt64(), column.GetProperty("currentCount").GetInt64(), bins));
    }
}
