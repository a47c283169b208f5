using System.Security.Cryptography;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Production;

/// <summary>What one compaction run did: hours merged (and their source segments and rows), hours another worker merged first, hours that failed.</summary>
public sealed record CompactionResult(int Hours, int Segments, long Rows, int Lost, int Failed);

/// <summary>
/// Merges each hour's live segments into one level-1 segment once the hour is older than
/// <see cref="ProductionOptions.CompactAfter"/>. The merged file is stored first; then one transaction inserts its row
/// and points the sources at it, on condition that they are all still live, so of two workers merging one hour only
/// one commits. A crash before the commit leaves an unlisted file (the orphan sweep's) and the sources live; the
/// sources' files go later (<see cref="TelemetrySweep"/>), once no reader can still be holding them.
/// </summary>
public sealed class TelemetryCompaction(IDbContextFactory<ControlPlaneDbContext> contexts, ITelemetryStore store,
    IOptions<ProductionOptions> production, IOptions<TelemetryMaintenanceOptions> maintenance, TimeProvider time, ILogger<TelemetryCompaction> log)
{
    public async Task<CompactionResult> RunAsync(CancellationToken ct = default)
    {
        var lastHour = TelemetryPaths.HourOf(time.GetUtcNow().UtcDateTime - production.Value.CompactAfter).AddHours(-1);
        List<HourKey> hours;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            hours = await db.TelemetrySegments.AsNoTracking()
                .Where(s => s.CompactedIntoId == null && s.HourUtc <= lastHour)
                .GroupBy(s => new { s.ModelId, s.Kind, s.HourUtc })
                .Where(g => g.Count() >= 2)
                .Select(g => new HourKey(g.Key.ModelId, g.Key.Kind, g.Key.HourUtc))
                .ToListAsync(ct);

        var result = new CompactionResult(0, 0, 0, 0, 0);
        foreach (var hour in hours.OrderBy(h => h.HourUtc))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                result = await CompactAsync(hour, ct) switch
                {
                    null => result with { Lost = result.Lost + 1 },
                    { Segments: 0 } => result,
                    var (segments, rows) => result with { Hours = result.Hours + 1, Segments = result.Segments + segments, Rows = result.Rows + rows },
                };
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One unreadable hour must not stop the others; its segments stay live and readable as they are.
                log.LogError(e, "Compaction of {Kind} of model {ModelId} at {Hour:u} failed; its segments stay as they are.", hour.Kind, hour.ModelId, hour.HourUtc);
                result = result with { Failed = result.Failed + 1 };
            }
        }
        return result;
    }

    /// <summary>Merges one hour; (0, 0) when it has fewer than two live segments; null when another worker merged (some of) them first.</summary>
    public async Task<(int Segments, long Rows)?> CompactAsync(HourKey hour, CancellationToken ct)
    {
        string modelName;
        List<TelemetrySegment> sources;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            modelName = await db.Models.Where(m => m.Id == hour.ModelId).Select(m => m.Name).SingleAsync(ct);
            sources = await db.TelemetrySegments.AsNoTracking()
                .Where(s => s.ModelId == hour.ModelId && s.Kind == hour.Kind && s.HourUtc == hour.HourUtc && s.CompactedIntoId == null)
                .OrderBy(s => s.CreatedAtUtc).ThenBy(s => s.Id)
                .ToListAsync(ct);
        }
        if (sources.Count < 2)
            return (0, 0);

        var local = new List<string>(sources.Count);
        foreach (var source in sources)
            local.Add(await VerifiedAsync(source, ct));

        var id = Guid.CreateVersion7(time.GetUtcNow());
        var path = TelemetryPaths.Segment(modelName, hour.Kind, hour.HourUtc, id);
        var temp = Path.Combine(Path.GetTempPath(), $"controlplane-compaction-{id:N}.parquet");
        try
        {
            var rows = await ParquetMerge.MergeAsync(local, temp, maintenance.Value.RowGroupRows, hour.Kind == TelemetryKind.Predictions, ct);
            var expected = sources.Sum(s => s.Rows);
            if (rows != expected)
                throw new InvalidDataException($"The segments of {path} hold {rows} rows but their index rows say {expected}.");
            var merged = new TelemetrySegment
            {
                Id = id,
                ModelId = hour.ModelId,
                Kind = hour.Kind,
                HourUtc = hour.HourUtc,
                FirstTimestampUtc = sources.Min(s => s.FirstTimestampUtc),
                LastTimestampUtc = sources.Max(s => s.LastTimestampUtc),
                Rows = rows,
                Path = path,
                Sha256 = await Sha256Async(temp, ct),
                Size = new FileInfo(temp).Length,
                Level = 1,
            };
            await store.PutAsync(path, temp, ct);
            if (await CommitAsync(merged, [.. sources.Select(s => s.Id)], ct))
                return (sources.Count, rows);
            // Our row never committed, so nobody can be reading the file: it goes now rather than waiting for the sweep.
            await store.DeleteAsync(path, CancellationToken.None);
            return null;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task<bool> CommitAsync(TelemetrySegment merged, List<Guid> sources, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The sources move only if every one is still live: the database settles a race between two workers.
        var moved = await db.TelemetrySegments
            .Where(s => sources.Contains(s.Id) && s.CompactedIntoId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CompactedIntoId, merged.Id), ct);
        if (moved != sources.Count)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        merged.CreatedAtUtc = time.GetUtcNow().UtcDateTime;
        db.TelemetrySegments.Add(merged);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task<string> VerifiedAsync(TelemetrySegment segment, CancellationToken ct)
    {
        var local = await store.GetLocalPathAsync(segment.Path, ct);
        // A damaged file merged into a new one would get a fresh, valid hash: check before the damage is laundered.
        if (!string.Equals(await Sha256Async(local, ct), segment.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"The telemetry file {segment.Path} does not match the hash of its index row.");
        return local;
    }

    private static async Task<string> Sha256Async(string file, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}

/// <summary>One model's telemetry of one kind in one hour: the unit that compaction merges.</summary>
public sealed record HourKey(Guid ModelId, TelemetryKind Kind, DateTime HourUtc);
