using System.Buffers;
using System.Text.Json;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Production.Ingest;

namespace ControlPlane.Workers.Demo;

/// <summary>
/// Sends the demo's traffic through the ingest service in the JSON bodies a serving app posts to
/// <c>/api/v1/models/{name}/predictions</c> and <c>/actuals</c>: one batch per day, and the defaults learned
/// <see cref="LabelDelay"/> later as actuals (within the windows job's default reach for late labels, 7 days; the newest
/// days have no labels yet and show the CBPE estimate alone).
/// </summary>
public static class DemoTelemetry
{
    public static readonly TimeSpan LabelDelay = TimeSpan.FromDays(5);

    public static async Task<(int Predictions, int Actuals)> SendAsync(TelemetryIngest ingest, string model, int version, string alias,
        IReadOnlyList<DemoPrediction> traffic, DateTime nowUtc, CancellationToken ct)
    {
        int predictions = 0, actuals = 0;
        foreach (var day in traffic.GroupBy(p => p.TimestampUtc.Date).OrderBy(d => d.Key))
        {
            var result = await PostAsync(ingest, model, TelemetryKind.Predictions, Predictions(day, version, alias, "primary"), ct);
            predictions += result.Accepted;
            var labelled = day.Where(p => p.Error is null && p.TimestampUtc + LabelDelay <= nowUtc).ToList();
            if (labelled.Count > 0)
                actuals += (await PostAsync(ingest, model, TelemetryKind.Actuals, Actuals(labelled), ct)).Accepted;
        }
        return (predictions, actuals);
    }

    /// <summary>
    /// A challenger's scores of the same applications, logged as the serving client's shadow mode logs them: the
    /// primary's prediction id, variant <c>shadow</c>, the challenger's version and alias. Their actuals are the
    /// primary's (one truth per prediction id).
    /// </summary>
    public static async Task<int> SendShadowAsync(TelemetryIngest ingest, string model, int version, string alias,
        IReadOnlyList<DemoPrediction> traffic, CancellationToken ct)
    {
        var predictions = 0;
        foreach (var day in traffic.GroupBy(p => p.TimestampUtc.Date).OrderBy(d => d.Key))
            predictions += (await PostAsync(ingest, model, TelemetryKind.Predictions, Predictions(day, version, alias, "shadow"), ct)).Accepted;
        return predictions;
    }

    private static async Task<IngestResult> PostAsync(TelemetryIngest ingest, string model, TelemetryKind kind, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        await using var stream = new MemoryStream(body.ToArray());
        var result = await ingest.IngestAsync(model, kind, IngestFormat.Json, stream, stream.Length, ct);
        return result.Rejected == 0 ? result
            : throw new InvalidOperationException($"The demo's {TelemetryPaths.KindName(kind)} were refused: {result.Rejections[0].Reason}");
    }

    private static ReadOnlyMemory<byte> Predictions(IEnumerable<DemoPrediction> day, int version, string alias, string variant) => Json(json =>
    {
        foreach (var p in day)
        {
            json.WriteStartObject();
            json.WriteString("predictionId", p.Id);
            json.WriteString("timestamp", p.TimestampUtc);
            json.WriteNumber("version", version);
            json.WriteString("alias", alias);
            json.WriteString("variant", variant);
            json.WriteStartObject("features");
            foreach (var (name, value) in p.Features)
            {
                if (value is double number)
                    json.WriteNumber(name, number);
                else
                    json.WriteString(name, value?.ToString());
            }
            json.WriteEndObject();
            if (p.Error is null)
            {
                json.WriteStartObject("outputs");
                json.WriteString("label", p.Score >= 0.5 ? "true" : "false");
                json.WriteNumber("score", p.Score);
                json.WriteEndObject();
            }
            json.WriteNumber("latencyMs", p.LatencyMs);
            if (p.Error is { } error)
                json.WriteString("error", error);
            json.WriteEndObject();
        }
    });

    private static ReadOnlyMemory<byte> Actuals(IEnumerable<DemoPrediction> labelled) => Json(json =>
    {
        foreach (var p in labelled)
        {
            json.WriteStartObject();
            json.WriteString("predictionId", p.Id);
            json.WriteString("actual", p.Defaulted ? "true" : "false");
            json.WriteString("timestamp", p.TimestampUtc + LabelDelay);
            json.WriteEndObject();
        }
    });

    private static ReadOnlyMemory<byte> Json(Action<Utf8JsonWriter> records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            records(json);
            json.WriteEndArray();
        }
        return buffer.WrittenMemory;
    }
}
