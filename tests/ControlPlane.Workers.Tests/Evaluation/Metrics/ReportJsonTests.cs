using System.Text.Json;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>Reports go to storage as JSON: undefined values are null (System.Text.Json refuses NaN), and they read back.</summary>
public sealed class ReportJsonTests
{
    [Fact]
    public void A_binary_report_with_undefined_metrics_serialises_them_as_null_and_reads_back()
    {
        var report = BinaryMetrics.Compute([1, 1, 1], [0.2, 0.3, 0.4]);

        var json = JsonSerializer.Serialize(report);
        var back = JsonSerializer.Deserialize<BinaryReport>(json)!;

        Assert.Contains("\"RocAuc\":null", json);
        Assert.Contains("\"ConfusionMatrix\":[[0,0],[3,0]]", json);
        Assert.Equal(json, JsonSerializer.Serialize(back));
    }

    [Fact]
    public void Multiclass_regression_and_slice_reports_read_back()
    {
        var multiclass = MulticlassMetrics.Compute([0, 1], [0.9f, 0.1f, 0.4f, 0.6f], ["no", "yes"]);
        var regression = RegressionMetrics.Compute([1.0], [3.0]);
        var slices = SliceMetrics.Regression(["a", "b"], [1.0, 2.0], [1.5, 2.0]);

        Assert.Equal(JsonSerializer.Serialize(multiclass), JsonSerializer.Serialize(JsonSerializer.Deserialize<MulticlassReport>(JsonSerializer.Serialize(multiclass))));
        Assert.Contains("\"R2\":null", JsonSerializer.Serialize(regression));
        var json = JsonSerializer.Serialize(slices);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<List<SliceReport<RegressionReport>>>(json)));
    }
}
