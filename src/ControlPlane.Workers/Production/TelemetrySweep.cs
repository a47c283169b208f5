using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Production;

/// <summary>What one sweep removed: files of segments merged long enough ago, and files no index row lists.</summary>
public sealed record SweepResult(int MergedFiles, int Orphans);

/// <summary>
/// Removes what the index no longer needs: the files (then the rows) of segments merged more than
/// <see cref="TelemetryMaintenanceOptions.MergedFileGracePeriod"/> ago, and files under <c>telemetry/</c> that no
/// index row lists and that are older than <see cref="TelemetryMaintenanceOptions.OrphanGracePeriod"/> (what a crash
/// between storing a file and committing its row left; a younger one may be a write in progress).
/// </summary>
public sealed class TelemetrySweep(IDbContextFactory<ControlPlaneDbContext> contexts, ITelemetryStore store,
    IOptions<TelemetryMaintenanceOptions> options, TimeProvider time)
{
    private const int Batch = 500;

    public async Task<SweepResult> RunAsync(CancellationToken ct = default) =>
        new(await RemoveMergedAsync(ct), await RemoveOrphansAsync(ct));

    private async Task<int> RemoveMergedAsync(CancellationToken ct)
    {
        var mergedBefore = time.GetUtcNow().UtcDateTime - options.Value.MergedFileGracePeriod;
        var removed = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await using var db = await contexts.CreateDbContextAsync(ct);
            var merged = await (
                from source in db.TelemetrySegments
                join target in db.TelemetrySegments on source.CompactedIntoId equals target.Id
                where target.CreatedAtUtc <= mergedBefore
                select new { source.Id, source.Path }).Take(Batch).ToListAsync(ct);
            if (merged.Count == 0)
                return removed;
            // Files first: their rows already say "merged", so no reader opens them; a crash here leaves rows whose
            // files are gone, which the next run finishes (deleting a missing file is no error).
            foreach (var segment in merged)
                await store.DeleteAsync(segment.Path, ct);
            var ids = merged.Select(s => s.Id).ToList();
            await db.TelemetrySegments.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
            removed += merged.Count;
        }
    }

    private async Task<int> RemoveOrphansAsync(CancellationToken ct)
    {
        var writtenBefore = time.GetUtcNow().UtcDateTime - options.Value.OrphanGracePeriod;
        var removed = 0;
        var old = new List<string>();
        await foreach (var file in store.ListFilesAsync(TelemetryPaths.Root, ct))
        {
            if (file.LastWrittenUtc > writtenBefore)
                continue;
            old.Add(file.Path);
            if (old.Count < Batch)
                continue;
            removed += await RemoveUnlistedAsync(old, ct);
            old.Clear();
        }
        return removed + await RemoveUnlistedAsync(old, ct);
    }

    private async Task<int> RemoveUnlistedAsync(List<string> paths, CancellationToken ct)
    {
        if (paths.Count == 0)
            return 0;
        HashSet<string> listed;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            listed = [.. await db.TelemetrySegments.Where(s => paths.Contains(s.Path)).Select(s => s.Path).ToListAsync(ct)];
        var orphans = paths.Where(p => !listed.Contains(p)).ToList();
        foreach (var orphan in orphans)
            await store.DeleteAsync(orphan, ct);
        return orphans.Count;
    }
}
