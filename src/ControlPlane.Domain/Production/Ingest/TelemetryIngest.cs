using System.Buffers;
using System.Security.Cryptography;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Takes a batch of prediction records or actuals for one model: checks who sends it, reads the body within the
/// limits, checks every record, writes the good ones as one Parquet file per hour into the telemetry store and indexes
/// the files in one transaction. The answer comes only after both are durable. Telemetry is not audited row by row.
/// </summary>
public sealed class TelemetryIngest(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    ITelemetryStore store,
    FeatureSchemas schemas,
    IngestGate gate,
    IOptions<ProductionOptions> options,
    IActorContext actor,
    TimeProvider time)
{
    public async Task<IngestResult> IngestAsync(string model, TelemetryKind kind, IngestFormat format, Stream body, long? declaredLength, CancellationToken ct)
    {
        TelemetrySenders.Authorize(actor.Current, model);
        var limits = options.Value;
        if (declaredLength > limits.MaxBodyBytes)
            throw TooLarge(limits);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        await TelemetrySenders.RequireOwnerOrAdminAsync(db, actor.Current, registered, ct);
        using var slot = await gate.EnterAsync(ct);
        var (buffer, length) = await ReadBodyAsync(body, declaredLength, limits, ct);
        try
        {
            var content = buffer.AsMemory(0, length);
            var now = time.GetUtcNow().UtcDateTime;
            if (kind == TelemetryKind.Predictions)
            {
                var batch = new PredictionBatch(new FeatureNames(), await TargetsAsync(db, registered, ct), now, limits.MaxRecordsPerBatch, limits.RejectionsReported);
                switch (format)
                {
                    case IngestFormat.Json or IngestFormat.JsonLines:
                        JsonRecords.ForEach(content.Span, format == IngestFormat.JsonLines, new JsonPredictionSink(batch));
                        break;
                    case IngestFormat.Arrow:
                        ArrowPredictions.Read(content, batch);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(format), format, null);
                }
                var files = batch.Hours.Values.Select(h => new HourFile(h.HourUtc, h.Count, h.Timestamps.Min(), h.Timestamps.Max(),
                    (stream, receivedAt, token) => TelemetryParquet.WritePredictionsAsync(stream, h, batch.Names, receivedAt, token)));
                var segments = await StoreAsync(db, registered, kind, files, ct);
                return Counted(new IngestResult(batch.Accepted, batch.Rejected, batch.Rejections, segments), registered.Name, kind);
            }
            else
            {
                var batch = new ActualBatch(now, limits.MaxRecordsPerBatch, limits.RejectionsReported);
                switch (format)
                {
                    case IngestFormat.Json or IngestFormat.JsonLines:
                        JsonRecords.ForEach(content.Span, format == IngestFormat.JsonLines, new JsonActualSink(batch));
                        break;
                    case IngestFormat.Arrow:
                        ArrowActuals.Read(content, batch);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(format), format, null);
                }
                var files = batch.Hours.Values.Select(h => new HourFile(h.HourUtc, h.Count, h.Timestamps.Min(), h.Timestamps.Max(),
                    (stream, receivedAt, token) => TelemetryParquet.WriteActualsAsync(stream, h, receivedAt, token)));
                var segments = await StoreAsync(db, registered, kind, files, ct);
                return Counted(new IngestResult(batch.Accepted, batch.Rejected, batch.Rejections, segments), registered.Name, kind);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IngestResult Counted(IngestResult result, string model, TelemetryKind kind)
    {
        Telemetry.ControlPlaneTelemetry.IngestedRows.Add(result.Accepted,
            new KeyValuePair<string, object?>(Telemetry.TelemetryTags.Model, model), new KeyValuePair<string, object?>(Telemetry.TelemetryTags.Kind, TelemetryPaths.KindName(kind)));
        return result;
    }

    private async Task<IngestTargets> TargetsAsync(ControlPlaneDbContext db, RegisteredModel model, CancellationToken ct)
    {
        var versions = await db.Versions.AsNoTracking().Where(v => v.ModelId == model.Id).Select(v => new { v.Id, v.Number }).ToListAsync(ct);
        var aliases = await db.Aliases.AsNoTracking().Where(a => a.ModelId == model.Id).Select(a => new { a.Name, a.Version!.Number }).ToListAsync(ct);
        var byId = await schemas.GetAsync(db, versions.Select(v => v.Id).ToList(), ct);
        return new IngestTargets(model.Name,
            versions.Where(v => byId.ContainsKey(v.Id)).ToDictionary(v => v.Number, v => byId[v.Id]),
            aliases.ToDictionary(a => a.Name, a => a.Number, StringComparer.OrdinalIgnoreCase));
    }

    private sealed record HourFile(DateTime HourUtc, int Rows, DateTime First, DateTime Last, Func<Stream, DateTime, CancellationToken, Task> Write);

    /// <summary>
    /// Each file is written locally, hashed and put into the store (durable once the put returns); then every index row
    /// commits in one transaction. A failure before the commit removes the files again, so nothing is half-stored.
    /// </summary>
    private async Task<IReadOnlyList<IngestedSegment>> StoreAsync(ControlPlaneDbContext db, RegisteredModel model, TelemetryKind kind, IEnumerable<HourFile> files, CancellationToken ct)
    {
        var receivedAt = time.GetUtcNow().UtcDateTime;
        var stored = new List<TelemetrySegment>();
        try
        {
            foreach (var file in files.OrderBy(f => f.HourUtc))
            {
                var id = Guid.CreateVersion7();
                var path = TelemetryPaths.Segment(model.Name, kind, file.HourUtc, id);
                // Written in memory (a batch is bounded by MaxBodyBytes), hashed there and put once: no local copy to write, read back and copy again.
                using var parquet = new MemoryStream();
                await file.Write(parquet, receivedAt, ct);
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(parquet.GetBuffer().AsSpan(0, (int)parquet.Length)));
                var size = parquet.Length;
                parquet.Position = 0;
                await store.PutAsync(path, parquet, ct);
                stored.Add(new TelemetrySegment
                {
                    Id = id, ModelId = model.Id, Kind = kind, HourUtc = file.HourUtc, FirstTimestampUtc = file.First, LastTimestampUtc = file.Last,
                    Rows = file.Rows, Path = path, Sha256 = sha256, Size = size, Level = 0, CreatedAtUtc = receivedAt,
                });
            }
            if (stored.Count > 0)
            {
                db.TelemetrySegments.AddRange(stored);
                // The files are in the store: the index must commit even if the client stops waiting now.
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch
        {
            foreach (var segment in stored)
                await ForgetAsync(segment.Path);
            throw;
        }
        return [.. stored.Select(s => new IngestedSegment(s.Id, s.HourUtc, s.Rows, s.Path))];
    }

    private async Task ForgetAsync(string path)
    {
        try
        {
            await store.DeleteAsync(path, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Artifacts.ArtifactStoreUnavailableException)
        {
            // An unindexed file is invisible to readers that go by the index; the orphan sweep removes it.
        }
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, long? declared, ProductionOptions limits, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min((declared ?? 64 * 1024) + 1, limits.MaxBodyBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limits.MaxBodyBytes)
                        throw TooLarge(limits);
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limits.MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                    break;
                length += read;
                if (length > limits.MaxBodyBytes)
                    throw TooLarge(limits);
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static PayloadTooLargeException TooLarge(ProductionOptions limits) =>
        new($"The body is larger than the limit of {limits.MaxBodyBytes:N0} bytes per batch; nothing was stored. Split it.");
}
