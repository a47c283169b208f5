using System.Security.Cryptography;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parquet.Schema;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// The domain on a SQLite file with a controllable clock, the real file-system telemetry store, and the maintenance
/// services as the worker registers them. Segments are written as the ingest path would: file in the store, then row.
/// </summary>
internal sealed class TelemetryHost : IAsyncDisposable
{
    private readonly TempDirectory _scratch = new("cp-telemetry");

    private TelemetryHost(DomainHost host) => Host = host;

    public DomainHost Host { get; }
    public IServiceProvider Services => Host.Services;
    public ITelemetryStore Store => Services.GetRequiredService<ITelemetryStore>();
    public DateTime Now => Host.Time.GetUtcNow().UtcDateTime;

    public static async Task<TelemetryHost> StartAsync(IDictionary<string, string?>? settings = null) => new(await DomainHost.StartAsync(settings, services: s =>
    {
        s.AddTelemetryMaintenance();
        s.AddSingleton<TelemetryMaintenanceJob>();
    }));

    public TelemetryCompaction Compaction(ITelemetryStore? store = null) =>
        ActivatorUtilities.CreateInstance<TelemetryCompaction>(Services, store ?? Store);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<ControlPlaneDbContext> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();

    public async Task<RegisteredModel> ModelAsync(string name, int? retentionDays = null)
    {
        var model = new RegisteredModel
        {
            Id = Guid.NewGuid(), Name = name, NormalizedName = name.ToUpperInvariant(), Owner = "dana",
            CreatedAtUtc = Now, UpdatedAtUtc = Now, TelemetryRetentionDays = retentionDays,
        };
        await using var db = await DbAsync();
        db.Add(model);
        await db.SaveChangesAsync();
        return model;
    }

    /// <summary>A level-0 segment of the rows, stored and indexed as ingest leaves one.</summary>
    public async Task<TelemetrySegment> SegmentAsync(RegisteredModel model, DateTime hourUtc, IReadOnlyList<DataField> fields,
        IReadOnlyList<Dictionary<string, object?>> rows, TelemetryKind kind = TelemetryKind.Predictions, Dictionary<string, string>? metadata = null)
    {
        var id = Guid.NewGuid();
        var local = _scratch.File($"{id:N}.parquet");
        await TelemetryParquet.WriteAsync(local, fields, rows, metadata: metadata);
        var segment = new TelemetrySegment
        {
            Id = id, ModelId = model.Id, Kind = kind, HourUtc = hourUtc,
            FirstTimestampUtc = rows.Min(r => (DateTime)r[TelemetryColumns.Timestamp]!),
            LastTimestampUtc = rows.Max(r => (DateTime)r[TelemetryColumns.Timestamp]!),
            Rows = rows.Count, Path = TelemetryPaths.Segment(model.Name, kind, hourUtc, id),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(local))),
            Size = new FileInfo(local).Length, Level = 0, CreatedAtUtc = Now,
        };
        await Store.PutAsync(segment.Path, local, default);
        await using var db = await DbAsync();
        db.Add(segment);
        await db.SaveChangesAsync();
        return segment;
    }

    public async Task<List<TelemetrySegment>> SegmentsAsync(Guid modelId)
    {
        await using var db = await DbAsync();
        return await db.TelemetrySegments.AsNoTracking().Where(s => s.ModelId == modelId).OrderBy(s => s.HourUtc).ThenBy(s => s.Level).ToListAsync();
    }

    public async Task<List<TelemetrySegment>> LiveAsync(Guid modelId) => [.. (await SegmentsAsync(modelId)).Where(s => s.CompactedIntoId is null)];

    public async Task<List<string>> FilesAsync() => [.. (await Store.ListFilesAsync(TelemetryPaths.Root, default).Select(f => f.Path).ToListAsync()).Order(StringComparer.Ordinal)];

    /// <summary>Where a store path lies on disk, to age it or look at it as an outside reader would.</summary>
    public string OnDisk(string path) => Path.Combine(Store.Location, path);

    public async Task<List<Dictionary<string, object?>>> RowsAsync(IEnumerable<TelemetrySegment> segments)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var segment in segments)
            rows.AddRange((await TelemetryParquet.ReadAsync(OnDisk(segment.Path))).Rows);
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _scratch.Dispose();
    }
}
