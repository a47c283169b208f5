using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Workers.Comparison;
using ControlPlane.Workers.Production;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// Runs one champion/challenger comparison. Keyed by the comparison id: a finished comparison is not run again; a
/// range without the traffic it needs fails once with the reason; other faults are retried.
/// </summary>
public sealed class ChallengerComparisonJob(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    ITelemetryStore store,
    IOptions<WindowComputeOptions> options,
    TimeProvider time)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid comparisonId, CancellationToken ct)
    {
        ChallengerComparison comparison;
        List<(TelemetryKind Kind, string Path)> segments;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            comparison = await db.ChallengerComparisons.SingleOrDefaultAsync(c => c.Id == comparisonId, ct)
                ?? throw new InvalidOperationException($"Comparison {comparisonId} is gone.");
            if (comparison.Status is ComparisonStatus.Succeeded or ComparisonStatus.Failed)
                return;
            comparison.Status = ComparisonStatus.Running;
            comparison.StartedAtUtc = time.GetUtcNow().UtcDateTime;
            using (AuditAmbient.BeginAction("comparison.started", "comparison", comparison.Id.ToString()))
                await db.SaveChangesAsync(ct);
            var actualsFrom = comparison.FromUtc - options.Value.ActualsBefore;
            segments = (await db.TelemetrySegments.AsNoTracking()
                .Where(s => s.ModelId == comparison.ModelId && s.CompactedIntoId == null
                    && ((s.Kind == TelemetryKind.Predictions && s.HourUtc >= comparison.FromUtc && s.HourUtc < comparison.ToUtc)
                        || (s.Kind == TelemetryKind.Actuals && s.HourUtc >= actualsFrom)))
                .OrderBy(s => s.HourUtc).ThenBy(s => s.Id).Select(s => new { s.Kind, s.Path }).ToListAsync(ct))
                .Select(s => (s.Kind, s.Path)).ToList();
        }
        try
        {
            var predictions = new List<string>();
            var actuals = new List<string>();
            foreach (var (kind, path) in segments)
                (kind == TelemetryKind.Predictions ? predictions : actuals).Add(await store.GetLocalPathAsync(path, ct));
            var rows = await ComparisonTelemetry.ReadAsync(predictions, actuals, comparison.ChampionVersion, comparison.ChallengerVersion,
                options.Value.DuckDbMemoryLimit, ct);
            var result = ComparisonCalculator.Compute(rows, comparison.ChallengerVersion, comparison.Tolerance);
            await FinishAsync(comparisonId, c =>
            {
                c.Status = ComparisonStatus.Succeeded;
                c.ChampionVersion = rows.ChampionVersion;
                c.Mode = result.Mode;
                c.Labelled = ComparisonCalculator.Labelled(result);
                c.Results = result.ToJson();
                c.Error = null;
            }, "comparison.succeeded", ct);
        }
        catch (DomainException e) // the range lacks the traffic: fails once, no retry
        {
            await FinishAsync(comparisonId, c => { c.Status = ComparisonStatus.Failed; c.Error = e.Message; }, "comparison.failed", CancellationToken.None);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await FinishAsync(comparisonId, c => { c.Status = ComparisonStatus.Queued; c.Error = $"Unexpected error (retried): {e.GetBaseException().Message}"; },
                "comparison.retried", CancellationToken.None);
            throw;
        }
    }

    private async Task FinishAsync(Guid id, Action<ChallengerComparison> apply, string action, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var comparison = await db.ChallengerComparisons.SingleAsync(c => c.Id == id, ct);
        apply(comparison);
        comparison.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        using (AuditAmbient.BeginAction(action, "comparison", id.ToString(), comparison.Error))
            await db.SaveChangesAsync(ct);
    }
}
