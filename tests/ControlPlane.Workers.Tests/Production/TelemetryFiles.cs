using System.Security.Cryptography;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parquet;
using Parquet.Schema;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>A prediction record as ingest writes it; features are doubles (numerical) or strings (categorical), null = missing.</summary>
internal sealed record PredictionRow(string Id, DateTime Ts, int Version = 1, string Variant = "primary", string? Alias = null, string? Label = null,
    double? Score = null, double? Value = null, double? LatencyMs = null, string? Error = null, IReadOnlyDictionary<string, object?>? Features = null);

internal sealed record ActualRow(string Id, string Actual, DateTime Ts, double? ActualValue = null);

/// <summary>
/// Writes telemetry segments the way ingest does, following <see cref="TelemetryColumns"/>: a real Parquet file put
/// into the real telemetry store, and its index row in the real database.
/// </summary>
internal static class TelemetryFiles
{
    private static DateTimeDataField Time(string name) => new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis);

    /// <param name="receivedAt">When ControlPlane acknowledged the batch; every row of a segment shares it.</param>
    public static async Task<TelemetrySegment> PredictionsAsync(DomainHost host, Guid modelId, string modelName, DateTime receivedAt, params PredictionRow[] rows)
    {
        var names = rows.SelectMany(r => r.Features?.Keys ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var numerical = names.ToDictionary(n => n, n => rows.Select(r => r.Features?.GetValueOrDefault(n)).FirstOrDefault(v => v is not null) is not string);
        var id = new DataField<string>(C.PredictionId);
        var ts = Time(C.Timestamp);
        var received = Time(C.ReceivedAt);
        var version = new DataField<int>(C.Version);
        var alias = new DataField<string>(C.Alias);
        var variant = new DataField<string>(C.Variant);
        var label = new DataField<string>(C.Label);
        var score = new DataField<double?>(C.Score);
        var probabilities = new DataField<string>(C.Probabilities);
        var value = new DataField<double?>(C.Value);
        var latency = new DataField<double?>(C.LatencyMs);
        var error = new DataField<string>(C.Error);
        var tags = new DataField<string>(C.Tags);
        var features = names.Select(n => numerical[n] ? (DataField)new DataField<double?>(C.Feature(n)) : new DataField<string>(C.Feature(n))).ToList();
        var schema = new ParquetSchema([id, ts, received, version, alias, variant, label, score, probabilities, value, latency, error, tags, .. features]);
        return await WriteAsync(host, modelId, modelName, TelemetryKind.Predictions, rows.Select(r => r.Ts).ToList(), schema, async group =>
        {
            await group.WriteAsync(id, rows.Select(r => r.Id).ToArray());
            await group.WriteAsync<DateTime>(ts, rows.Select(r => r.Ts).ToArray());
            await group.WriteAsync<DateTime>(received, rows.Select(_ => receivedAt).ToArray());
            await group.WriteAsync<int>(version, rows.Select(r => r.Version).ToArray());
            await group.WriteAsync(alias, rows.Select(r => r.Alias).ToArray()!);
            await group.WriteAsync(variant, rows.Select(r => r.Variant).ToArray());
            await group.WriteAsync(label, rows.Select(r => r.Label).ToArray()!);
            await group.WriteAsync<double>(score, rows.Select(r => r.Score).ToArray());
            await group.WriteAsync(probabilities, rows.Select(_ => (string?)null).ToArray()!);
            await group.WriteAsync<double>(value, rows.Select(r => r.Value).ToArray());
            await group.WriteAsync<double>(latency, rows.Select(r => r.LatencyMs).ToArray());
            await group.WriteAsync(error, rows.Select(r => r.Error).ToArray()!);
            await group.WriteAsync(tags, rows.Select(_ => (string?)null).ToArray()!);
            for (var f = 0; f < names.Count; f++)
            {
                var name = names[f];
                if (numerical[name])
                    await group.WriteAsync<double>((DataField<double?>)features[f], rows.Select(r => (double?)r.Features?.GetValueOrDefault(name)).ToArray());
                else
                    await group.WriteAsync((DataField<string>)features[f], rows.Select(r => (string?)r.Features?.GetValueOrDefault(name)).ToArray()!);
            }
        });
    }

    public static async Task<TelemetrySegment> ActualsAsync(DomainHost host, Guid modelId, string modelName, DateTime receivedAt, params ActualRow[] rows)
    {
        var id = new DataField<string>(C.PredictionId);
        var ts = Time(C.Timestamp);
        var received = Time(C.ReceivedAt);
        var actual = new DataField<string>(C.Actual);
        var actualValue = new DataField<double?>(C.ActualValue);
        var schema = new ParquetSchema(id, ts, received, actual, actualValue);
        return await WriteAsync(host, modelId, modelName, TelemetryKind.Actuals, rows.Select(r => r.Ts).ToList(), schema, async group =>
        {
            await group.WriteAsync(id, rows.Select(r => r.Id).ToArray());
            await group.WriteAsync<DateTime>(ts, rows.Select(r => r.Ts).ToArray());
            await group.WriteAsync<DateTime>(received, rows.Select(_ => receivedAt).ToArray());
            await group.WriteAsync(actual, rows.Select(r => r.Actual).ToArray());
            await group.WriteAsync<double>(actualValue, rows.Select(r => r.ActualValue).ToArray());
        });
    }

    private static async Task<TelemetrySegment> WriteAsync(DomainHost host, Guid modelId, string modelName, TelemetryKind kind, List<DateTime> timestamps,
        ParquetSchema schema, Func<ParquetRowGroupWriter, Task> write)
    {
        var hour = TelemetryPaths.HourOf(timestamps[0]);
        Assert.All(timestamps, t => Assert.Equal(hour, TelemetryPaths.HourOf(t))); // a segment holds one hour
        var local = Path.GetTempFileName();
        try
        {
            using (await Domain.Common.ParquetWriteTurn.TakeAsync(default))
            await using (var file = File.Create(local))
            await using (var writer = await ParquetWriter.CreateAsync(schema, file))
            using (var group = writer.CreateRowGroup())
                await write(group);
            var segment = new TelemetrySegment
            {
                Id = Guid.CreateVersion7(), ModelId = modelId, Kind = kind, HourUtc = hour, FirstTimestampUtc = timestamps.Min(), LastTimestampUtc = timestamps.Max(),
                Rows = timestamps.Count, Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(local))), Size = new FileInfo(local).Length,
                CreatedAtUtc = host.Time.GetUtcNow().UtcDateTime, Path = "",
            };
            segment.Path = TelemetryPaths.Segment(modelName, kind, hour, segment.Id);
            await host.Services.GetRequiredService<ITelemetryStore>().PutAsync(segment.Path, local, CancellationToken.None);
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
            db.TelemetrySegments.Add(segment);
            using (AuditAmbient.BeginAction("test.telemetry", "model", modelId.ToString()))
                await db.SaveChangesAsync();
            return segment;
        }
        finally
        {
            File.Delete(local);
        }
    }
}
