using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Production.Ingest;

namespace ControlPlane.Domain.Tests.Production;

/// <summary>
/// The streaming JSON reader against records written by hand: key order that changes from record to record, escaped
/// names, a name longer than the stack buffer, a repeated feature key, a record that is not an object, and a broken
/// line that refuses the whole body.
/// </summary>
public sealed class JsonPredictionParsingTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string Long = new('w', 300);

    private static PredictionBatch Batch() => new(new FeatureNames(),
        new IngestTargets("m", new Dictionary<int, FeatureSchema>
        {
            [1] = new([new FeatureSpec("ab", ColumnType.Numerical), new FeatureSpec("c", ColumnType.Boolean), new FeatureSpec(Long, ColumnType.Numerical)]),
        }, new Dictionary<string, int>()),
        Now, maxRecords: 100, rejectionsReported: 10);

    [Fact]
    public void Records_with_changing_key_order_escaped_and_long_names_are_read_value_for_value()
    {
        var batch = Batch();
        var body = $$"""
            [{"predictionId":"1","timestamp":"2026-12-07T10:15:00Z","version":1,"features":{"ab":1.25,"c":true,"{{Long}}":-3} },
             {"features":{"c":false,"{{Long}}":7,"a\u0062":2e3},"version":"1","timestamp":"2026-12-07T10:16:00+01:00","predictionId":"2"},
             {"predictionId":"3","timestamp":"2026-12-07T10:17:00","version":1,"features":{"ab":null,"c":"yes","{{Long}}":0} }]
            """;

        JsonRecords.ForEach(Encoding.UTF8.GetBytes(body), lines: false, new JsonPredictionSink(batch));

        Assert.Equal((3, 0), (batch.Accepted, batch.Rejected));
        var hours = batch.Hours.OrderBy(h => h.Key).Select(h => h.Value).ToList();
        Assert.Equal([new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc)], hours.Select(h => h.HourUtc));
        // +01:00 at 10:16 is 09:16 UTC; no offset is taken as UTC.
        Assert.Equal(["2"], hours[0].Ids);
        Assert.Equal(["1", "3"], hours[1].Ids);
        Assert.Equal([new DateTime(2026, 12, 7, 10, 15, 0, DateTimeKind.Utc), new DateTime(2026, 12, 7, 10, 17, 0, DateTimeKind.Utc)], hours[1].Timestamps);
        Dictionary<string, FeatureColumn> Columns(PredictionColumns h) => h.Features.ToDictionary(f => batch.Names[f.Name], f => f.Column);
        Assert.Equal([2000.0], Columns(hours[0])["ab"].Numbers);
        Assert.Equal(["false"], Columns(hours[0])["c"].Texts);
        Assert.Equal([7.0], Columns(hours[0])[Long].Numbers);
        Assert.Equal([1.25, null], Columns(hours[1])["ab"].Numbers);
        Assert.Equal(["true", "yes"], Columns(hours[1])["c"].Texts);
        Assert.Equal([-3.0, 0.0], Columns(hours[1])[Long].Numbers);
    }

    [Fact]
    public void A_repeated_feature_key_and_a_record_that_is_not_an_object_are_refused_alone()
    {
        var batch = Batch();
        var lines = """
            {"predictionId":"1","timestamp":"2026-12-07T10:15:00Z","version":1,"features":{"ab":1,"ab":2,"c":true,"{{L}}":1}}
            [1,2,3]
            {"predictionId":"3","timestamp":"2026-12-07T10:15:00Z","version":1,"features":{"ab":1,"c":true,"{{L}}":1}}
            """.Replace("{{L}}", Long, StringComparison.Ordinal);

        JsonRecords.ForEach(Encoding.UTF8.GetBytes(lines), lines: true, new JsonPredictionSink(batch));

        Assert.Equal((1, 2), (batch.Accepted, batch.Rejected));
        Assert.Equal([(1, "feature 'ab' appears twice"), (2, "the record is not a JSON object")], batch.Rejections.Select(r => (r.Row, r.Reason)));
    }

    [Theory]
    [InlineData(true, "{\"predictionId\":\"1\"}\n{\"predictionId\":\n")]
    [InlineData(false, "[{\"predictionId\":\"1\"}] trailing")]
    [InlineData(false, "{\"predictionId\":\"1\"}")]
    public void A_body_that_is_not_json_of_the_right_shape_refuses_everything(bool lines, string body)
    {
        var batch = Batch();

        var refused = Assert.Throws<ValidationException>(() => JsonRecords.ForEach(Encoding.UTF8.GetBytes(body), lines, new JsonPredictionSink(batch)));

        Assert.Matches("JSON", refused.Message);
    }
}
