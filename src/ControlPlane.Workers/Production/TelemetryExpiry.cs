using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Production;

/// <summary>What one retention run removed.</summary>
public sealed record RetentionResult(int Segments, long Rows, int Windows);

/// <summary>
/// Removes each model's telemetry once every record in an hour is older than the model's retention
/// (<c>TelemetryRetentionDays</c>, else <see cref="ProductionOptions.DefaultRetentionDays"/>), and the production windows
/// that ended before it. Index rows go first, files after: a crash between leaves unlisted files for the orphan sweep,
/// never a listed file that is gone.
/// </summary>
public sealed class TelemetryExpiry(IDbContextFactory<ControlPlaneDbContext> contexts, ITelemetryStore store,
    IOptions<ProductionOptions> production, TimeProvider time)
{
    private const int Batch = 500;

    public async Task<RetentionResult> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = new RetentionResult(0, 0, 0);
        List<(Guid Id, int? Days)> models;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            models = (await db.Models.AsNoTracking().Select(m => new { m.Id, m.TelemetryRetentionDays }).ToListAsync(ct))
                .Select(m => (m.Id, m.TelemetryRetentionDays)).ToList();

        foreach (var (model, days) in models)
        {
            var cutoff = now.AddDays(-(days ?? production.Value.DefaultRetentionDays));
            var lastHour = cutoff.AddHours(-1); // an hour goes once it ends at or before the cutoff
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                await using var db = await contexts.CreateDbContextAsync(ct);
                var expired = await db.TelemetrySegments.AsNoTracking()
                    .Where(s => s.ModelId == model && s.HourUtc <= lastHour)
                    .OrderBy(s => s.HourUtc).Take(Batch)
                    .Select(s => new { s.Id, s.Path, s.Rows, Live = s.CompactedIntoId == null })
                    .ToListAsync(ct);
                if (expired.Count == 0)
                    break;
                var ids = expired.Select(s => s.Id).ToList();
                await db.TelemetrySegments.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
                foreach (var segment in expired)
                    await store.DeleteAsync(segment.Path, ct);
                result = result with { Segments = result.Segments + expired.Count, Rows = result.Rows + expired.Where(s => s.Live).Sum(s => s.Rows) };
            }

            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var monitors = await db.ProductionMonitors.Where(m => m.ModelId == model).Select(m => m.Id).ToListAsync(ct);
                if (monitors.Count > 0)
                    result = result with
                    {
                        Windows = result.Windows + await db.ProductionWindows.Where(w => monitors.Contains(w.MonitorId) && w.EndUtc <= cutoff).ExecuteDeleteAsync(ct),
                    };
            }
        }
        return result;
    }
}
