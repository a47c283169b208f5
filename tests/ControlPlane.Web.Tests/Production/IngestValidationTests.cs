using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Production.Ingest;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Web.Tests.Production.IngestFixture;

namespace ControlPlane.Web.Tests.Production;

/// <summary>
/// Batches through the app's pipeline: each bad record is refused alone with its row and reason, the good ones are in
/// the Parquet file (read back with Parquet.Net and compared with the values sent), and a body that cannot be read
/// stores nothing at all.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class IngestValidationTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);

    [Fact]
    public async Task Each_bad_record_is_refused_alone_and_the_good_ones_are_stored_as_sent()
    {
        var model = await ModelAsync(Scientist);
        var hour = RecentHour();
        var t = Iso(hour.AddMinutes(5));
        var body = $$"""
            [
              {"predictionId":"p1","timestamp":"{{t}}","version":1,"variant":"primary","features":{"age":41,"income":52000.5,"channel":"online"},
               "outputs":{"label":"true","score":0.83,"probabilities":{"false":0.17,"true":0.83} },"latencyMs":12.5,"error":null,"tags":{"region":"eu"} },
              {"predictionId":"p2","timestamp":"{{t}}","version":"serving","variant":"shadow","features":{"age":null,"income":30000,"channel":"branch"} },
              {"predictionId":"p3","timestamp":"{{t}}","version":1,"features":{"age":41,"income":1,"channel":"online","colour":"red"} },
              {"predictionId":"p4","timestamp":"{{t}}","version":1,"features":{"age":"41","income":1,"channel":"online"} },
              {"predictionId":"p5","timestamp":"{{t}}","version":1,"features":{"age":"NaN","income":1,"channel":"online"} },
              {"predictionId":"p6","timestamp":"{{t}}","version":1,"features":{"age":41,"income":1e400,"channel":"online"} },
              {"predictionId":"p7","timestamp":"{{t}}","version":1,"features":{"age":41,"income":1} },
              {"timestamp":"{{t}}","version":1,"features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p1","timestamp":"{{t}}","version":1,"features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p10","timestamp":"{{t}}","version":9,"features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p11","timestamp":"{{t}}","version":"nope","features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p12","timestamp":"{{t}}","version":1,"variant":"blue","features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p13","version":1,"features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p14","timestamp":"{{Iso(DateTime.UtcNow.AddHours(3))}}","version":1,"features":{"age":41,"income":1,"channel":"online"} },
              {"predictionId":"p15","timestamp":"{{t}}","version":2,"variant":"canary","features":{"X_0":0.25,"X_1":-1},"outputs":{"value":1.5},"latencyMs":3},
              {"predictionId":"p16","timestamp":"{{t}}","version":1,"features":{"age":41,"income":1,"channel":"online"},"latencyMs":-1},
              {"predictionId":"p17","timestamp":"{{t}}","version":1,"features":{"age":41,"income":1,"channel":"online"},"extra":1}
            ]
            """;

        var response = await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<IngestResult>())!;
        Assert.Equal(3, result.Accepted);
        Assert.Equal(14, result.Rejected);
        var expected = new (int Row, string? Id, string Reason)[]
        {
            (3, "p3", "unknown feature 'colour'"),
            (4, "p4", "feature 'age' is Numerical; got a string"),
            (5, "p5", "feature 'age' is NaN or infinite"),
            (6, "p6", "feature 'income' is NaN or infinite"),
            (7, "p7", "missing feature 'channel'"),
            (8, null, "predictionId is missing"),
            (9, "p1", "repeats an earlier primary record"),
            (10, "p10", "has no version 9"),
            (11, "p11", "has no alias 'nope'"),
            (12, "p12", "variant 'blue' is not primary, shadow or canary"),
            (13, "p13", "timestamp is missing"),
            (14, "p14", "more than an hour ahead"),
            (16, "p16", "latencyMs is negative"),
            (17, "p17", "unknown field 'extra'"),
        };
        Assert.Equal(expected.Length, result.Rejections.Count);
        foreach (var ((row, id, reason), actual) in expected.Zip(result.Rejections))
        {
            Assert.Equal(row, actual.Row);
            Assert.Equal(id, actual.PredictionId);
            Assert.Contains(reason, actual.Reason);
        }

        var segment = Assert.Single(await SegmentsAsync(app, model));
        Assert.Equal(hour, segment.HourUtc);
        Assert.Equal(3, segment.Rows);
        Assert.Equal(0, segment.Level);
        Assert.Null(segment.CompactedIntoId);
        var path = await app.Services.GetRequiredService<Domain.Production.ITelemetryStore>().GetLocalPathAsync(segment.Path, default);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), segment.Sha256);
        Assert.Equal(new FileInfo(path).Length, segment.Size);
        Assert.Equal(Assert.Single(result.Segments).Id, segment.Id);

        var c = await ReadAsync(app, segment);
        Assert.Equal(["p1", "p2", "p15"], c["prediction_id"]);
        Assert.Equal([1, 1, 2], c["version"]);
        Assert.Equal([null, "serving", null], c["alias"]);
        Assert.Equal(["primary", "shadow", "canary"], c["variant"]);
        Assert.All(c["ts"], v => Assert.Equal(hour.AddMinutes(5), (DateTime)v!));
        Assert.Equal([41.0, null, null], c["f_age"]);
        Assert.Equal([52000.5, 30000.0, null], c["f_income"]);
        Assert.Equal(["online", "branch", null], c["f_channel"]);
        Assert.Equal([null, null, 0.25], c["f_X_0"]);
        Assert.Equal([null, null, -1.0], c["f_X_1"]);
        Assert.Equal(["true", null, null], c["label"]);
        Assert.Equal([0.83, null, null], c["score"]);
        Assert.Equal([null, null, 1.5], c["value"]);
        Assert.Equal([12.5, null, 3.0], c["latency_ms"]);
        Assert.Equal("""{"false":0.17,"true":0.83}""", c["probabilities"][0]);
        Assert.Equal("""{"region":"eu"}""", c["tags"][0]);
        Assert.All(c["received_at"], v => Assert.InRange((DateTime)v!, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow));
    }

    [Fact]
    public async Task Json_lines_and_an_arrow_stream_are_read_with_the_same_rules()
    {
        var model = await ModelAsync(Scientist);
        var hour = RecentHour();
        var lines = $$"""
            {"predictionId":"l1","timestamp":"{{Iso(hour)}}","version":1,"features":{"age":20,"income":1,"channel":"online"} }
            {"predictionId":"l2","timestamp":"{{Iso(hour)}}","version":1,"features":{"age":true,"income":1,"channel":"online"} }
            """;
        var json = (await (await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(lines, "application/x-ndjson"))).Content.ReadFromJsonAsync<IngestResult>())!;
        Assert.Equal((1, 1), (json.Accepted, json.Rejected));
        Assert.Contains("feature 'age' is Numerical; got a boolean", json.Rejections[0].Reason);

        var arrow = ArrowBody(hour.AddMinutes(30),
            ids: ["a1", "a2", "a3"], age: [33, double.NaN, 50], channel: ["online", "branch", null], colour: [null, null, "red"]);
        var response = await Scientist.PostAsync($"/api/v1/models/{model}/predictions", arrow);
        var result = (await response.Content.ReadFromJsonAsync<IngestResult>())!;
        Assert.Equal((1, 2), (result.Accepted, result.Rejected));
        Assert.Equal((2, "a2"), (result.Rejections[0].Row, result.Rejections[0].PredictionId));
        Assert.Contains("feature 'age' is NaN or infinite", result.Rejections[0].Reason);
        Assert.Contains("unknown feature 'colour'", result.Rejections[1].Reason);

        var segments = await SegmentsAsync(app, model);
        Assert.Equal(2, segments.Count);
        Assert.All(segments, s => Assert.Equal(hour, s.HourUtc));
        var fromArrow = await ReadAsync(app, segments.Single(s => s.Id == result.Segments[0].Id));
        Assert.Equal(["a1"], fromArrow["prediction_id"]);
        Assert.Equal([33.0], fromArrow["f_age"]);
        Assert.Equal(["online"], fromArrow["f_channel"]);
        Assert.Equal([hour.AddMinutes(30)], fromArrow["ts"]);
    }

    [Fact]
    public async Task A_shadow_may_log_its_primarys_id_but_a_variant_may_not_repeat_an_id()
    {
        var model = await ModelAsync(Scientist);
        var hour = RecentHour();
        string Record(string variant) =>
            $$$"""{"predictionId":"s1","timestamp":"{{{Iso(hour)}}}","version":1,"variant":"{{{variant}}}","features":{"age":20,"income":1,"channel":"online"}}""";
        var body = $"[{Record("primary")},{Record("shadow")},{Record("shadow")}]";

        var result = (await (await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(body))).Content.ReadFromJsonAsync<IngestResult>())!;

        Assert.Equal((2, 1), (result.Accepted, result.Rejected));
        Assert.Equal(3, result.Rejections[0].Row);
        Assert.Contains("repeats an earlier shadow record", result.Rejections[0].Reason);
        var segment = (await SegmentsAsync(app, model)).Single();
        var stored = await ReadAsync(app, segment);
        Assert.Equal(["primary", "shadow"], stored["variant"]);
        // What the batch stored holds each (id, variant) once, and the file says so: windows read it without deduplicating.
        var local = await app.Services.GetRequiredService<ITelemetryStore>().GetLocalPathAsync(segment.Path, CancellationToken.None);
        Assert.True(await DistinctIdsMark.IsMarkedAsync(local, CancellationToken.None));
    }

    [Theory]
    [InlineData("application/json", "[{\"predictionId\":\"x\",\"timestamp\":")]
    [InlineData("application/json", "not json at all")]
    [InlineData("application/x-ndjson", "{\"predictionId\":\"ok\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"version\":1,\"features\":{\"age\":1,\"income\":1,\"channel\":\"a\"} }\n{\"predictionId\":\"broken\"\n")]
    [InlineData("application/vnd.apache.arrow.stream", "ARROW1 but not really an IPC stream")]
    public async Task A_body_that_cannot_be_read_is_a_400_and_stores_nothing(string mediaType, string body)
    {
        var model = await ModelAsync(Scientist);

        var response = await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(body, mediaType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nothing was stored", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Empty(await SegmentsAsync(app, model));
        Assert.Empty(await FilesAsync(app, model));
    }

    [Fact]
    public async Task Bodies_and_batches_over_the_limits_are_413s_that_store_nothing_and_other_media_types_415s()
    {
        var model = await ModelAsync(Scientist);
        var record = $$"""{"predictionId":"p","timestamp":"{{Iso(RecentHour())}}","version":1,"features":{"age":1,"income":1,"channel":"{{new string('x', 1000)}}"} }""";
        var big = "[" + string.Join(",", Enumerable.Repeat(record, (int)(ControlPlaneWebFactory.IngestMaxBodyBytes / record.Length) + 1)) + "]";
        var many = "[" + string.Join(",", Enumerable.Range(0, ControlPlaneWebFactory.IngestMaxRecords + 1).Select(i => "{}")) + "]";

        var tooBig = await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(big));
        var tooMany = await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(many));
        var csv = await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json("a,b\n1,2", "text/csv"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("larger than the limit", (await tooBig.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Contains("more than 2,000 records", (await tooMany.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, csv.StatusCode);
        Assert.Empty(await SegmentsAsync(app, model));
        Assert.Empty(await FilesAsync(app, model));
    }

    [Fact]
    public async Task Actuals_are_accepted_before_their_predictions_and_stored_as_text_and_number()
    {
        var model = await ModelAsync(Scientist);
        var hour = RecentHour();
        var t = Iso(hour.AddMinutes(1));
        var actuals = $$"""
            [{"predictionId":"later","actual":"true","timestamp":"{{t}}"},
             {"predictionId":"r2","actual":1.5,"timestamp":"{{t}}"},
             {"predictionId":"r3","actual":false,"timestamp":"{{t}}"},
             {"predictionId":"r4","timestamp":"{{t}}"},
             {"predictionId":"r5","actual":"Infinity","timestamp":"{{t}}"}]
            """;

        var result = (await (await Scientist.PostAsync($"/api/v1/models/{model}/actuals", Json(actuals))).Content.ReadFromJsonAsync<IngestResult>())!;
        var prediction = $$"""[{"predictionId":"later","timestamp":"{{t}}","version":1,"features":{"age":1,"income":2,"channel":"online"},"outputs":{"score":0.9} }]""";
        var predicted = (await (await Scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(prediction))).Content.ReadFromJsonAsync<IngestResult>())!;

        Assert.Equal((3, 2), (result.Accepted, result.Rejected));
        Assert.Contains("actual is missing", result.Rejections[0].Reason);
        Assert.Contains("actual is NaN or infinite", result.Rejections[1].Reason);
        Assert.Equal(1, predicted.Accepted);
        var segments = await SegmentsAsync(app, model);
        var actualSegment = Assert.Single(segments, s => s.Kind == Domain.Production.TelemetryKind.Actuals);
        Assert.Contains("/kind=actuals/", actualSegment.Path);
        var c = await ReadAsync(app, actualSegment);
        Assert.Equal(["later", "r2", "r3"], c["prediction_id"]);
        Assert.Equal(["true", "1.5", "false"], c["actual"]);
        Assert.Equal([null, 1.5, null], c["actual_value"]);
    }

    private static ByteArrayContent ArrowBody(DateTime ts, string[] ids, double[] age, string?[] channel, string?[] colour)
    {
        var timestamps = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        var versions = new Int32Array.Builder();
        var ages = new DoubleArray.Builder();
        var incomes = new DoubleArray.Builder();
        var channels = new StringArray.Builder();
        var colours = new StringArray.Builder();
        var names = new StringArray.Builder();
        for (var i = 0; i < ids.Length; i++)
        {
            names.Append(ids[i]);
            timestamps.Append(new DateTimeOffset(ts));
            versions.Append(1);
            ages.Append(age[i]);
            incomes.Append(1000 * i);
            if (channel[i] is { } ch) channels.Append(ch); else channels.AppendNull();
            if (colour[i] is { } co) colours.Append(co); else colours.AppendNull();
        }
        var schema = new Schema.Builder()
            .Field(f => f.Name("prediction_id").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("ts").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")).Nullable(false))
            .Field(f => f.Name("version").DataType(Int32Type.Default).Nullable(false))
            .Field(f => f.Name("f_age").DataType(DoubleType.Default).Nullable(true))
            .Field(f => f.Name("f_income").DataType(DoubleType.Default).Nullable(true))
            .Field(f => f.Name("f_channel").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("f_colour").DataType(StringType.Default).Nullable(true))
            .Build();
        var batch = new RecordBatch(schema, [names.Build(), timestamps.Build(), versions.Build(), ages.Build(), incomes.Build(), channels.Build(), colours.Build()], ids.Length);
        var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.apache.arrow.stream");
        return content;
    }
}
