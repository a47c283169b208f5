using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Production.Ingest;

namespace ControlPlane.Domain.Tests.Production;

/// <summary>
/// The columnar Arrow reader (whole-column checks, runs appended from the Arrow buffers) and the JSON reader's quick way
/// against the JSON reader with every record judged the record way, on the same records: thousands of rows over three
/// record batches and two hours with every kind of bad record mixed in must give the same counts, the same rejections
/// (row, id, reason) and the same stored columns value for value. A small case is also checked against values written
/// by hand.
/// </summary>
public sealed class ArrowColumnarIngestTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static PredictionBatch Batch() => new(new FeatureNames(),
        new IngestTargets("m", new Dictionary<int, FeatureSchema>
        {
            [1] = new([new FeatureSpec("a", ColumnType.Numerical), new FeatureSpec("b", ColumnType.Numerical), new FeatureSpec("c", ColumnType.Categorical)]),
            [2] = new([new FeatureSpec("a", ColumnType.Numerical), new FeatureSpec("d", ColumnType.Numerical)]),
        }, new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["live"] = 2 }),
        Now, maxRecords: 100_000, rejectionsReported: 100_000);

    /// <summary>One record as both bodies carry it; null is an Arrow null and a JSON key left out (or null where the version declares it).</summary>
    private sealed record Row(string? Id, DateTime? Ts, int? Version, string? Alias, string? Variant, string? Label, double? Score,
        string? Probabilities, double? Latency, string? Tags, double? A, long? B, string? C, float? D);

    [Theory]
    [InlineData("arrow")]
    [InlineData("json")]
    public void Thousands_of_mixed_records_give_what_the_record_by_record_json_reader_gives(string form)
    {
        var rows = MixedRows(3_000);

        var tested = Batch();
        if (form == "arrow")
            ArrowPredictions.Read(ArrowBody(rows, recordBatches: 3), tested);
        else
            JsonRecords.ForEach(JsonLines(rows), lines: true, new JsonPredictionSink(tested));
        var json = Batch();
        JsonRecords.ForEach(JsonLines(rows), lines: true, new JsonPredictionSink(json, quickWay: false));

        Assert.True(json.Accepted > 1_000 && json.Rejected > 300, $"the mix should have both: {json.Accepted} accepted, {json.Rejected} rejected");
        Assert.Equal((json.Accepted, json.Rejected), (tested.Accepted, tested.Rejected));
        Assert.Equal(json.Rejections.Select(r => (r.Row, r.PredictionId, r.Reason)), tested.Rejections.Select(r => (r.Row, r.PredictionId, r.Reason)));
        Assert.Equal(json.Hours.Keys.Order(), tested.Hours.Keys.Order());
        foreach (var (hour, expected) in json.Hours)
        {
            var actual = tested.Hours[hour];
            Assert.Equal(expected.Ids, actual.Ids);
            Assert.Equal(expected.Timestamps, actual.Timestamps);
            Assert.Equal(expected.Versions, actual.Versions);
            Assert.Equal(expected.Aliases, actual.Aliases);
            Assert.Equal(expected.Variants, actual.Variants);
            Assert.Equal(expected.Labels, actual.Labels);
            Assert.Equal(expected.Scores, actual.Scores);
            Assert.Equal(expected.Probabilities, actual.Probabilities);
            Assert.Equal(expected.Latencies, actual.Latencies);
            Assert.Equal(expected.Tags, actual.Tags);
            Assert.Equal(Features(json, expected).Keys.Order(), Features(tested, actual).Keys.Order());
            foreach (var (name, column) in Features(json, expected))
            {
                var other = Features(tested, actual)[name];
                Assert.Equal(column.Numeric, other.Numeric);
                Assert.Equal(column.Numbers, other.Numbers);
                Assert.Equal(column.Texts, other.Texts);
            }
        }
    }

    [Fact]
    public void A_small_body_is_split_into_stored_runs_and_refused_rows_as_written_by_hand()
    {
        var t = Now.AddHours(-2).AddMinutes(10);
        Row Good(string id, double a) => new(id, t, 1, null, null, "yes", 0.5, null, 3, null, a, 7, "x", null);
        var rows = new[]
        {
            Good("r1", 1.5),
            Good("r2", double.NaN),
            Good("r3", 2.5) with { D = 4 },                 // d is version 2's feature: a value in it is refused on a version 1 row
            Good("r1", 3.5),                                 // repeats r1
            Good("r5", 4.5) with { Version = null, Alias = "live", B = null, C = null, D = 1.25f },
            Good("r6", 5.5) with { A = null, Ts = t.AddHours(1) },
            Good("r7", 6.5) with { Probabilities = """{"true":"high"}""" },
        };

        var batch = Batch();
        ArrowPredictions.Read(ArrowBody(rows, recordBatches: 1), batch);

        Assert.Equal((3, 4), (batch.Accepted, batch.Rejected));
        Assert.Equal(
        [
            (2, "r2", "feature 'a' is NaN or infinite"),
            (3, "r3", "unknown feature 'd' (version 1 has no such feature)"),
            (4, "r1", "predictionId 'r1' repeats an earlier primary record of this batch"),
            (7, "r7", "probabilities is not a JSON object of finite numbers"),
        ], batch.Rejections.Select(r => (r.Row, r.PredictionId, r.Reason)));
        var first = batch.Hours[Now.AddHours(-2)];
        Assert.Equal(["r1", "r5"], first.Ids);
        Assert.Equal([1, 2], first.Versions);
        Assert.Equal([null, "live"], first.Aliases);
        var byName = Features(batch, first);
        Assert.Equal([1.5, 4.5], byName["a"].Numbers);
        Assert.Equal([7.0, null], byName["b"].Numbers);   // version 2 has no b
        Assert.Equal(["x", null], byName["c"].Texts);
        Assert.Equal([null, 1.25], byName["d"].Numbers);
        var second = batch.Hours[Now.AddHours(-1)];
        Assert.Equal(["r6"], second.Ids);
        Assert.Equal([null], Features(batch, second)["a"].Numbers);
        Assert.Equal([3.0], second.Latencies);
    }

    private static Dictionary<string, FeatureColumn> Features(PredictionBatch batch, PredictionColumns hour) =>
        hour.Features.ToDictionary(f => batch.Names[f.Name], f => f.Column);

    private static List<Row> MixedRows(int count)
    {
        var random = new Random(15);
        var start = Now.AddHours(-2).AddMinutes(30);
        var rows = new List<Row>();
        for (var i = 0; i < count; i++)
        {
            var v2 = i % 7 == 3;
            var row = new Row($"p{i}", start.AddMilliseconds(i * 1_300), v2 ? 2 : 1, null, i % 5 == 0 ? "shadow" : null, i % 3 == 0 ? "true" : "false",
                Math.Round(random.NextDouble(), 4), null, Math.Round(random.NextDouble() * 40, 2), null,
                Math.Round(random.NextDouble() * 100, 3), v2 ? null : random.Next(-50, 50), v2 ? null : $"k{random.Next(4)}", v2 ? (float)Math.Round(random.NextDouble(), 3) : null);
            rows.Add(random.Next(30) switch
            {
                0 => row with { Id = null },
                1 => row with { Id = "" },
                2 => row with { Ts = null },
                3 => row with { Ts = Now.AddHours(2) },
                4 => row with { Version = null },
                5 => row with { Version = null, Alias = "live", B = null, C = null, D = 0.5f },
                6 => row with { Version = null, Alias = "nope" },
                7 => row with { Version = 9 },
                8 => row with { Variant = "blue" },
                9 => row with { Score = double.PositiveInfinity },
                10 => row with { Latency = -1 },
                11 => row with { A = double.NaN },
                12 => row with { A = null },
                13 => row with { Id = $"p{random.Next(Math.Max(1, i))}" },
                14 => row with { Probabilities = """{"true":0.25,"false":0.75}""", Tags = """{"region":"eu"}""" },
                15 => row with { D = 2.5f, Version = 1 },
                16 => row with { C = null },
                17 => row with { Alias = "live" },
                _ => row,
            });
        }
        return rows;
    }

    private static byte[] JsonLines(IEnumerable<Row> rows)
    {
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            var fields = new List<string>();
            if (r.Id is not null) fields.Add($"\"predictionId\":\"{r.Id}\"");
            if (r.Ts is { } ts) fields.Add($"\"timestamp\":\"{ts:yyyy-MM-ddTHH:mm:ss.ffffffZ}\"");
            if (r.Version is { } v) fields.Add($"\"version\":{v}");
            if (r.Alias is not null) fields.Add($"\"alias\":\"{r.Alias}\"");
            if (r.Variant is not null) fields.Add($"\"variant\":\"{r.Variant}\"");
            var features = new List<string>();
            // A null in a column its version lacks says nothing in Arrow; in JSON the key is left out.
            var declared = r.Version == 2 || r.Alias == "live" && r.Version is null ? new[] { "a", "d" } : ["a", "b", "c"];
            Feature(features, declared, "a", r.A is { } a ? Number(a) : null);
            Feature(features, declared, "b", r.B is { } b ? b.ToString(CultureInfo.InvariantCulture) : null);
            Feature(features, declared, "c", r.C is { } c ? $"\"{c}\"" : null);
            Feature(features, declared, "d", r.D is { } d ? Number(d) : null);
            fields.Add($"\"features\":{{{string.Join(",", features)}}}");
            var outputs = new List<string>();
            if (r.Label is not null) outputs.Add($"\"label\":\"{r.Label}\"");
            if (r.Score is { } s) outputs.Add($"\"score\":{Number(s)}");
            if (r.Probabilities is not null) outputs.Add($"\"probabilities\":{r.Probabilities}");
            fields.Add($"\"outputs\":{{{string.Join(",", outputs)}}}");
            if (r.Latency is { } l) fields.Add($"\"latencyMs\":{Number(l)}");
            if (r.Tags is not null) fields.Add($"\"tags\":{r.Tags}");
            text.Append('{').Append(string.Join(",", fields)).Append("}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Feature(List<string> features, string[] declared, string name, string? json)
    {
        if (json is not null || declared.Contains(name))
            features.Add($"\"{name}\":{json ?? "null"}");
    }

    /// <summary>JSON has no NaN or ∞: they travel as the strings the readers know.</summary>
    private static string Number(double value) => double.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : $"\"{(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity")}\"";

    private static byte[] ArrowBody(IReadOnlyList<Row> rows, int recordBatches)
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("prediction_id").DataType(StringType.Default))
            .Field(f => f.Name("ts").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("version").DataType(Int32Type.Default))
            .Field(f => f.Name("alias").DataType(StringType.Default))
            .Field(f => f.Name("variant").DataType(StringType.Default))
            .Field(f => f.Name("label").DataType(StringType.Default))
            .Field(f => f.Name("score").DataType(DoubleType.Default))
            .Field(f => f.Name("probabilities").DataType(StringType.Default))
            .Field(f => f.Name("latency_ms").DataType(DoubleType.Default))
            .Field(f => f.Name("tags").DataType(StringType.Default))
            .Field(f => f.Name("f_a").DataType(DoubleType.Default))
            .Field(f => f.Name("f_b").DataType(Int64Type.Default))
            .Field(f => f.Name("f_c").DataType(StringType.Default))
            .Field(f => f.Name("f_d").DataType(FloatType.Default))
            .Build();
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true))
        {
            var size = (rows.Count + recordBatches - 1) / recordBatches;
            for (var from = 0; from < rows.Count; from += size)
            {
                var part = rows.Skip(from).Take(size).ToList();
                writer.WriteRecordBatch(new RecordBatch(schema,
                [
                    Texts(part.Select(r => r.Id)),
                    Times(part.Select(r => r.Ts)),
                    Numbers(new Int32Array.Builder(), part.Select(r => r.Version)),
                    Texts(part.Select(r => r.Alias)),
                    Texts(part.Select(r => r.Variant)),
                    Texts(part.Select(r => r.Label)),
                    Numbers(new DoubleArray.Builder(), part.Select(r => r.Score)),
                    Texts(part.Select(r => r.Probabilities)),
                    Numbers(new DoubleArray.Builder(), part.Select(r => r.Latency)),
                    Texts(part.Select(r => r.Tags)),
                    Numbers(new DoubleArray.Builder(), part.Select(r => r.A)),
                    Numbers(new Int64Array.Builder(), part.Select(r => r.B)),
                    Texts(part.Select(r => r.C)),
                    Numbers(new FloatArray.Builder(), part.Select(r => r.D)),
                ], part.Count));
            }
            writer.WriteEnd();
        }
        return stream.ToArray();
    }

    private static TArray Numbers<T, TArray, TBuilder>(PrimitiveArrayBuilder<T, TArray, TBuilder> builder, IEnumerable<T?> values)
        where T : struct where TArray : IArrowArray where TBuilder : class, IArrowArrayBuilder<TArray>
    {
        foreach (var value in values)
        {
            if (value is { } v)
                builder.Append(v);
            else
                builder.AppendNull();
        }
        return builder.Build();
    }

    private static StringArray Texts(IEnumerable<string?> values)
    {
        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            if (value is null)
                builder.AppendNull();
            else
                builder.Append(value);
        }
        return builder.Build();
    }

    private static TimestampArray Times(IEnumerable<DateTime?> values)
    {
        var builder = new TimestampArray.Builder(TimeUnit.Microsecond, "UTC");
        foreach (var value in values)
        {
            if (value is { } v)
                builder.Append(new DateTimeOffset(v));
            else
                builder.AppendNull();
        }
        return builder.Build();
    }
}
