using System.Diagnostics;
using System.Security.Cryptography;
using ControlPlane.Domain;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Compaction of one hour of level-0 segments (the real <see cref="TelemetryCompaction"/>: hash checks, merge, store,
/// commit on a SQLite file) against the floor of the same run: Parquet.Net reading the same files column by column and
/// writing the rows into one file, with nothing else.
/// </summary>
internal static class TelemetryCompactionScenario
{
    private const int RowGroupRows = 122_880;

    public static async Task RunAsync(int segments, int rowsPerSegment, int features, int repeats)
    {
        var fields = Fields(features);
        Console.WriteLine($"compaction of {segments} segments x {rowsPerSegment:N0} rows x {features} features ({fields.Count} columns)");
        Console.WriteLine("run | compaction | rows/s | plain read+write | rows/s | ratio");
        for (var run = 1; run <= repeats; run++)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"cp-bench-compaction-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            try
            {
                using var host = await StartAsync(directory);
                var hour = TelemetryPaths.HourOf(DateTime.UtcNow).AddHours(-3);
                var local = await SeedAsync(host.Services, directory, hour, fields, segments, rowsPerSegment);
                var rows = (long)segments * rowsPerSegment;

                var clock = Stopwatch.StartNew();
                await PlainCopyAsync(local, Path.Combine(directory, "plain.parquet"), fields, rows);
                var plain = clock.Elapsed;

                clock.Restart();
                var result = await host.Services.GetRequiredService<TelemetryCompaction>().RunAsync();
                var compaction = clock.Elapsed;
                if (result.Rows != rows || result.Hours != 1)
                    throw new InvalidOperationException($"Compaction merged {result.Rows} rows in {result.Hours} hours; expected {rows} in 1.");

                Console.WriteLine($"{run} | {compaction.TotalSeconds:F2} s | {rows / compaction.TotalSeconds:N0} | {plain.TotalSeconds:F2} s | {rows / plain.TotalSeconds:N0} | {plain / compaction:F2}");
                await host.StopAsync();
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<IHost> StartAsync(string directory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ControlPlane:DataDirectory"] = directory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddControlPlaneDomain();
        builder.Services.AddTelemetryMaintenance();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static List<DataField> Fields(int features) =>
    [
        new DataField<string>(TelemetryColumns.PredictionId, false),
        new DateTimeDataField(TelemetryColumns.Timestamp, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
        new DateTimeDataField(TelemetryColumns.ReceivedAt, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
        new DataField<int>(TelemetryColumns.Version),
        new DataField<string>(TelemetryColumns.Variant, false),
        new DataField<double?>(TelemetryColumns.Score),
        new DataField<double?>(TelemetryColumns.LatencyMs),
        .. Enumerable.Range(0, features).Select(i => new DataField<double?>(TelemetryColumns.Feature($"x{i}"))),
    ];

    /// <summary>Writes the level-0 segments as ingest would (file in the store, then index row); returns local copies for the floor.</summary>
    private static async Task<List<string>> SeedAsync(IServiceProvider services, string directory, DateTime hour, List<DataField> fields, int segments, int rows)
    {
        var store = services.GetRequiredService<ITelemetryStore>();
        var contexts = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var model = new RegisteredModel { Id = Guid.NewGuid(), Name = "credit-risk", NormalizedName = "CREDIT-RISK", Owner = "bench", CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Add(model);
            await db.SaveChangesAsync();
        }
        var random = new Random(42);
        var local = new List<string>();
        for (var s = 0; s < segments; s++)
        {
            var file = Path.Combine(directory, $"level0-{s}.parquet");
            var ts = Enumerable.Range(0, rows).Select(i => hour.AddTicks(random.NextInt64(TimeSpan.TicksPerHour) / 10 * 10)).ToArray();
            await using (var stream = File.Create(file))
            await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
            using (var group = writer.CreateRowGroup())
            {
                await group.WriteAsync(fields[0], Enumerable.Range(0, rows).Select(i => $"{s}-{i}-{random.Next():x8}").ToArray());
                await group.WriteAsync<DateTime>(fields[1], new ReadOnlyMemory<DateTime>(ts));
                await group.WriteAsync<DateTime>(fields[2], new ReadOnlyMemory<DateTime>([.. ts.Select(t => t.AddMilliseconds(3))]));
                await group.WriteAsync<int>(fields[3], new ReadOnlyMemory<int>([.. Enumerable.Range(0, rows).Select(i => 1 + i % 2)]));
                await group.WriteAsync(fields[4], Enumerable.Range(0, rows).Select(i => i % 10 == 0 ? "canary" : "primary").ToArray());
                foreach (var field in fields.Skip(5))
                    await group.WriteAsync<double>(field, new ReadOnlyMemory<double?>([.. Enumerable.Range(0, rows).Select(i => i % 50 == 0 ? (double?)null : random.NextDouble() * 1000)]));
            }
            var id = Guid.NewGuid();
            var segment = new TelemetrySegment
            {
                Id = id, ModelId = model.Id, Kind = TelemetryKind.Predictions, HourUtc = hour, FirstTimestampUtc = ts.Min(), LastTimestampUtc = ts.Max(),
                Rows = rows, Path = TelemetryPaths.Segment(model.Name, TelemetryKind.Predictions, hour, id),
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), Size = new FileInfo(file).Length, CreatedAtUtc = DateTime.UtcNow,
            };
            await store.PutAsync(segment.Path, file, default);
            await using var db = await contexts.CreateDbContextAsync();
            db.Add(segment);
            await db.SaveChangesAsync();
            local.Add(file);
        }
        return local;
    }

    /// <summary>The floor: every column of every file read into one array per column, then written in row groups of the same size.</summary>
    private static async Task PlainCopyAsync(List<string> files, string target, List<DataField> fields, long total)
    {
        var n = checked((int)total);
        var ids = new string?[n];
        var variants = new string?[n];
        var ts = new DateTime[n];
        var received = new DateTime[n];
        var versions = new int[n];
        var doubles = fields.Skip(5).Select(_ => new double?[n]).ToList();
        var offset = 0;
        foreach (var file in files)
        {
            await using var reader = await ParquetReader.CreateAsync(file);
            var read = reader.Schema.DataFields;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var rows = (int)group.RowCount;
                await group.ReadAsync(read[0], ids.AsMemory(offset, rows));
                await group.ReadAsync<DateTime>(read[1], ts.AsMemory(offset, rows), null);
                await group.ReadAsync<DateTime>(read[2], received.AsMemory(offset, rows), null);
                await group.ReadAsync<int>(read[3], versions.AsMemory(offset, rows), null);
                await group.ReadAsync(read[4], variants.AsMemory(offset, rows));
                for (var c = 0; c < doubles.Count; c++)
                    await group.ReadAsync<double>(read[5 + c], doubles[c].AsMemory(offset, rows));
                offset += rows;
            }
        }
        await using var stream = File.Create(target);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (var start = 0; start < n; start += RowGroupRows)
        {
            var count = Math.Min(RowGroupRows, n - start);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], new ArraySegment<string>(ids!, start, count));
            await group.WriteAsync<DateTime>(fields[1], new ReadOnlyMemory<DateTime>(ts, start, count));
            await group.WriteAsync<DateTime>(fields[2], new ReadOnlyMemory<DateTime>(received, start, count));
            await group.WriteAsync<int>(fields[3], new ReadOnlyMemory<int>(versions, start, count));
            await group.WriteAsync(fields[4], new ArraySegment<string>(variants!, start, count));
            for (var c = 0; c < doubles.Count; c++)
                await group.WriteAsync<double>(fields[5 + c], new ReadOnlyMemory<double?>(doubles[c], start, count));
        }
    }
}
