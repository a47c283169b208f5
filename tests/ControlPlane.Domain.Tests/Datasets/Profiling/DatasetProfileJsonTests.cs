using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

public sealed class DatasetProfileJsonTests
{
    [Fact]
    public async Task A_profile_survives_a_round_trip()
    {
        using var reader = new InMemoryTabularReader(
            ("x", ProfileTestData.Formula()),
            ("empty", new[] { double.NaN, double.NaN }.Concat(Enumerable.Repeat(double.NaN, 9999)).ToArray()),
            ("label", Enumerable.Range(0, 10_001).Select(i => i % 3 == 0 ? "é \"quoted\"" : "plain").ToArray()),
            ("at", Enumerable.Range(0, 10_001).Select(i => i == 5 ? "2024-05-06T07:08:09.1234567+02:00" : null).ToArray()));
        var profile = await DatasetProfiler.ProfileAsync(reader,
        [
            new ProfileColumn(0, "x", ColumnType.Numerical),
            new ProfileColumn(1, "empty", ColumnType.Numerical),
            new ProfileColumn(2, "label", ColumnType.Categorical),
            new ProfileColumn(3, "at", ColumnType.DateTime),
        ], ProfileOptions.Default, null, CancellationToken.None);

        var json = DatasetProfileJson.ToJson(profile);
        var back = DatasetProfileJson.FromJson(json);

        Assert.Equal(json, DatasetProfileJson.ToJson(back));
        Assert.StartsWith("{\"rowCount\":10001,\"columns\":[{\"name\":\"x\",\"type\":\"Numerical\",\"count\":9897,", json);
        Assert.Contains("\"numeric\":null", json);
        Assert.Contains("\"value\":\"é \\\"quoted\\\"\"", json);
        Assert.Contains("\"max\":\"2024-05-06T05:08:09.1234567Z\"", json);
        Assert.Equal(profile.Columns[0].Numeric!.Quantiles, back.Columns[0].Numeric!.Quantiles);
        Assert.Equal(profile.Columns[0].Numeric!.Histogram.Counts, back.Columns[0].Numeric!.Histogram.Counts);
        Assert.Equal(DateTimeKind.Utc, back.Columns[3].Dates!.Max!.Value.Kind);
        Assert.Equal(ColumnType.Categorical, back.Columns[2].Type);
    }
}
