using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using ControlPlane.TestModels;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Prediction ingest through the real endpoint of a web process on loopback (Kestrel, SQLite, file-system telemetry
/// store): 20-feature binary-classifier records as JSON and as an Arrow IPC stream, against the floor of writing the
/// same rows straight to Parquet with Parquet.Net in this process; then the latency of 1,000-row JSON batches.
/// </summary>
internal static class IngestScenario
{
    private const int Features = 20;
    private const string Token = "cpat_bench-ingest-token-0123456789abcdefgh";

    /// <param name="senders">Clients posting at once, each its share of the batches in turn (a serving fleet sends concurrently).</param>
    /// <param name="rounds">Times the floor, JSON and Arrow are measured in turn, so that each form is compared with a floor taken under the same load.</param>
    public static async Task RunAsync(string webDll, int rows, int batchRows, int latencyBatches, int senders, int rounds)
    {
        await using var web = await WebAppUnderTest.StartAsync(webDll, Token, new Dictionary<string, string>());
        var http = web.Http;
        const string model = "ingest-bench";
        (await http.PostAsync("/api/v1/models", new StringContent($$"""{"name":"{{model}}"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(HandBuiltOnnx.Identity(Features));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
            (await http.PostAsync($"/api/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();
        }
        var start = DateTime.UtcNow.AddHours(-2);
        var json = Enumerable.Range(0, rows / batchRows).Select(b => JsonBody(b * batchRows, batchRows, start)).ToList();
        var arrow = Enumerable.Range(0, rows / batchRows).Select(b => ArrowBody(b * batchRows, batchRows, start)).ToList();
        Console.WriteLine($"rows {rows:N0} in batches of {batchRows:N0} from {senders} sender(s) at once, {Features} features, {rounds} round(s)");
        Console.WriteLine($"body sizes per batch: JSON {json[0].Length / 1e6:F1} MB, Arrow {arrow[0].Length / 1e6:F1} MB");
        Console.WriteLine("| round | form | rows/s | × floor |");
        Console.WriteLine("|---:|---|---:|---:|");
        // Each round measures the floor again right before the forms: on a shared machine the floor moves with the load.
        for (var round = 1; round <= rounds; round++)
        {
            var floor = await FloorAsync(rows, start);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | Parquet.Net floor | {floor:N0} | 1.00 |"));
            foreach (var (name, bodies, media) in new[] { ("JSON", json, "application/json"), ("Arrow IPC", arrow, "application/vnd.apache.arrow.stream") })
            {
                await PostAsync(http, model, bodies[0], media); // warm-up
                var sw = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
                {
                    for (var b = sender; b < bodies.Count; b += senders)
                        await PostAsync(http, model, bodies[b], media);
                })));
                var rate = rows / sw.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {name} | {rate:N0} | {rate / floor:F2} |"));
            }
        }

        var small = Enumerable.Range(0, latencyBatches).Select(b => JsonBody(rows + b * 1_000, 1_000, start)).ToList();
        var times = new List<double>();
        foreach (var body in small)
        {
            var sw = Stopwatch.StartNew();
            await PostAsync(http, model, body, "application/json");
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1,000-row JSON batches, {latencyBatches} in a row: p50 {times[times.Count / 2]:F1} ms, p99 {times[(int)Math.Ceiling(times.Count * 0.99) - 1]:F1} ms, max {times[^1]:F1} ms"));
    }

    /// <summary>The stages of one batch in this process, without HTTP: parse and check, then write the hour file.</summary>
    public static async Task StagesAsync(int rows)
    {
        var start = DateTime.UtcNow.AddHours(-2);
        start = new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0, DateTimeKind.Utc);
        var schema = new Domain.Production.Ingest.FeatureSchema([.. Enumerable.Range(0, Features).Select(f => new Domain.Production.Ingest.FeatureSpec($"X_{f}", Domain.Datasets.ColumnType.Numerical))]);
        var json = JsonBody(0, rows, start);
        var arrow = ArrowBody(0, rows, start);
        for (var round = 0; round < 3; round++)
        {
            // What any Utf8JsonReader-based reader must spend: every token read, every number and time parsed, nothing kept.
            var tokens = Stopwatch.StartNew();
            var reader = new System.Text.Json.Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType == System.Text.Json.JsonTokenType.Number)
                    reader.TryGetDouble(out _);
                else if (reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueSpan.Length == 24)
                    reader.TryGetDateTime(out _);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"JSON tokens only: {rows / tokens.Elapsed.TotalSeconds:N0} rows/s"));
            foreach (var form in new[] { "JSON", "Arrow" })
            {
                var batch = new Domain.Production.Ingest.PredictionBatch(new Domain.Production.Ingest.FeatureNames(),
                    new Domain.Production.Ingest.IngestTargets("m", new Dictionary<int, Domain.Production.Ingest.FeatureSchema> { [1] = schema }, new Dictionary<string, int>()),
                    DateTime.UtcNow, int.MaxValue, 20);
                var sw = Stopwatch.StartNew();
                if (form == "JSON")
                    Domain.Production.Ingest.JsonRecords.ForEach(json, false, new Domain.Production.Ingest.JsonPredictionSink(batch));
                else
                    Domain.Production.Ingest.ArrowPredictions.Read(arrow, batch);
                var parse = sw.Elapsed.TotalSeconds;
                sw.Restart();
                await using (var file = new MemoryStream())
                    foreach (var hour in batch.Hours.Values)
                        await Domain.Production.Ingest.TelemetryParquet.WritePredictionsAsync(file, hour, batch.Names, DateTime.UtcNow, CancellationToken.None);
                var write = sw.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{form}: {batch.Accepted:N0} rows: parse+check {rows / parse:N0} rows/s, Parquet write {rows / write:N0} rows/s"));
            }
        }
    }

    private static async Task PostAsync(HttpClient http, string model, byte[] body, string media)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(media);
        var response = await http.PostAsync($"/api/v1/models/{model}/predictions", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Contains("\"rejected\":0", StringComparison.Ordinal) is false)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(500, text.Length)]}");
    }

    private static double Feature(int row, int f) => ((row * 31 + f * 17) % 1000) / 10.0;

    private static byte[] JsonBody(int first, int count, DateTime start)
    {
        var sb = new StringBuilder("[");
        for (var r = first; r < first + count; r++)
        {
            if (r > first)
                sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $$"""{"predictionId":"p{{r}}","timestamp":"{{start.AddMilliseconds(r):yyyy-MM-ddTHH:mm:ss.fffZ}}","version":1,"variant":"primary","features":{""");
            for (var f = 0; f < Features; f++)
                sb.Append(CultureInfo.InvariantCulture, $"{(f > 0 ? "," : "")}\"X_{f}\":{Feature(r, f)}");
            sb.Append(CultureInfo.InvariantCulture, $$"""},"outputs":{"label":"{{(r % 3 == 0 ? "true" : "false")}}","score":{{(r % 100) / 100.0}}},"latencyMs":{{r % 50 + 0.5}}}""");
        }
        return Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }

    private static byte[] ArrowBody(int first, int count, DateTime start)
    {
        var ids = new StringArray.Builder();
        var ts = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        var versions = new Int32Array.Builder();
        var labels = new StringArray.Builder();
        var scores = new DoubleArray.Builder();
        var latencies = new DoubleArray.Builder();
        var features = Enumerable.Range(0, Features).Select(_ => new DoubleArray.Builder()).ToArray();
        for (var r = first; r < first + count; r++)
        {
            ids.Append($"p{r}");
            ts.Append(new DateTimeOffset(start.AddMilliseconds(r)));
            versions.Append(1);
            labels.Append(r % 3 == 0 ? "true" : "false");
            scores.Append((r % 100) / 100.0);
            latencies.Append(r % 50 + 0.5);
            for (var f = 0; f < Features; f++)
                features[f].Append(Feature(r, f));
        }
        var schema = new Schema.Builder()
            .Field(f => f.Name("prediction_id").DataType(StringType.Default))
            .Field(f => f.Name("ts").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("version").DataType(Int32Type.Default))
            .Field(f => f.Name("label").DataType(StringType.Default))
            .Field(f => f.Name("score").DataType(DoubleType.Default))
            .Field(f => f.Name("latency_ms").DataType(DoubleType.Default));
        for (var f = 0; f < Features; f++)
        {
            var name = $"f_X_{f}";
            schema.Field(b => b.Name(name).DataType(DoubleType.Default));
        }
        var built = schema.Build();
        IArrowArray[] arrays = [ids.Build(), ts.Build(), versions.Build(), labels.Build(), scores.Build(), latencies.Build(), .. features.Select(b => b.Build())];
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, built, leaveOpen: true))
        {
            writer.WriteRecordBatch(new RecordBatch(built, arrays, count));
            writer.WriteEnd();
        }
        return stream.ToArray();
    }

    /// <summary>The same rows and columns written straight to a Parquet file, one row group per batch: what ingest cannot beat.</summary>
    private static async Task<double> FloorAsync(int rows, DateTime start)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ingest-floor-{Guid.NewGuid():N}.parquet");
        try
        {
            var sw = Stopwatch.StartNew();
            var id = new DataField<string>("prediction_id", false);
            var ts = new DateTimeDataField("ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
            var version = new DataField<int>("version");
            var label = new DataField<string>("label", true);
            var score = new DataField<double?>("score");
            var latency = new DataField<double?>("latency_ms");
            var features = Enumerable.Range(0, Features).Select(f => new DataField<double?>($"f_X_{f}")).ToArray();
            await using (var file = File.Create(path))
            await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema([id, ts, version, label, score, latency, .. features]), file))
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, Enumerable.Range(0, rows).Select(r => $"p{r}").ToArray());
                await group.WriteAsync<DateTime>(ts, Enumerable.Range(0, rows).Select(r => start.AddMilliseconds(r)).ToArray());
                await group.WriteAsync<int>(version, Enumerable.Repeat(1, rows).ToArray());
                await group.WriteAsync(label, Enumerable.Range(0, rows).Select(r => r % 3 == 0 ? "true" : "false").ToArray());
                await group.WriteAsync<double>(score, Enumerable.Range(0, rows).Select(r => (double?)((r % 100) / 100.0)).ToArray());
                await group.WriteAsync<double>(latency, Enumerable.Range(0, rows).Select(r => (double?)(r % 50 + 0.5)).ToArray());
                for (var f = 0; f < Features; f++)
                    await group.WriteAsync<double>(features[f], Enumerable.Range(0, rows).Select(r => (double?)Feature(r, f)).ToArray());
            }
            return rows / sw.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
