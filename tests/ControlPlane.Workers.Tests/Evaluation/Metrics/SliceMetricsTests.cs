using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>
/// Per-slice reports against scikit-learn 1.2.1 on each slice's rows, e.g. for the binary rows
/// <c>group = np.where(i % 3 == 0, "eu", np.where(i % 3 == 1, "us", "(missing)")); m = group == "eu";
/// roc_auc_score(label[m], score[m])</c>.
/// </summary>
public sealed class SliceMetricsTests
{
    [Fact]
    public void Binary_slices_match_scikit_learn_on_each_group_with_null_as_missing()
    {
        var (labels, scores) = FormulaRows.Binary();
        string?[] slices = [.. Enumerable.Range(0, labels.Length).Select(i => (i % 3) switch { 0 => "eu", 1 => "us", _ => null })];

        var reports = SliceMetrics.Binary(slices, labels, scores);

        Assert.Equal(["(missing)", "eu", "us"], reports.Select(r => r.Value));
        Assert.Equal([3333L, 3334L, 3333L], reports.Select(r => r.Count));
        Near.Equal([0.7674533577319906, 0.766613299708191, 0.7652830778382138], reports.Select(r => r.Metrics.RocAuc!.Value).ToList());
        Near.Equal([0.7017701770177017, 0.7012597480503899, 0.6957695769576958], reports.Select(r => r.Metrics.Accuracy!.Value).ToList());
        Near.Equal([0.701376421304608, 0.7017438364401684, 0.6958608278344331], reports.Select(r => r.Metrics.Recall!.Value).ToList());
        Near.Equal([0.5994058976003938, 0.610470117563183, 0.6029131474415617], reports.Select(r => r.Metrics.LogLoss!.Value).ToList());
        // Slice reports keep the calibration bins but not the curves.
        Assert.All(reports, r => Assert.Null(r.Metrics.Roc));
        Assert.All(reports, r => Assert.Equal(10, r.Metrics.Calibration!.Count));
    }

    [Fact]
    public void Multiclass_slices_match_scikit_learn_on_each_group()
    {
        var (labels, probabilities) = FormulaRows.Multiclass();
        string?[] slices = [.. Enumerable.Range(0, labels.Length).Select(i => i % 2 == 0 ? "even" : "odd")];

        var reports = SliceMetrics.Multiclass(slices, labels, probabilities, ["a", "b", "c", "d", "e"]);

        Assert.Equal(["even", "odd"], reports.Select(r => r.Value));
        Assert.Equal([500L, 500L], reports.Select(r => r.Count));
        Near.Equal([0.202, 0.198], reports.Select(r => r.Metrics.Accuracy!.Value).ToList());
        Near.Equal([0.18986456797632095, 0.1854774486120849], reports.Select(r => r.Metrics.MacroF1!.Value).ToList());
        Near.Equal([1.8488668709146123, 1.827491456323026], reports.Select(r => r.Metrics.LogLoss!.Value).ToList());
    }

    [Fact]
    public void Regression_slices_match_scikit_learn_on_each_group()
    {
        var (actual, predicted) = FormulaRows.Regression();
        string?[] slices = [.. Enumerable.Range(0, actual.Length).Select(j => j < 400 ? "small" : "large")];

        var reports = SliceMetrics.Regression(slices, actual, predicted);

        Assert.Equal(["large", "small"], reports.Select(r => r.Value));
        Assert.Equal([600L, 400L], reports.Select(r => r.Count));
        Near.Equal([0.2901829867618198, 0.2880414126854543], reports.Select(r => r.Metrics.Rmse!.Value).ToList());
        Near.Equal([0.9927063989657187, 0.9915788913780582], reports.Select(r => r.Metrics.R2!.Value).ToList());
    }

    [Fact]
    public void Accumulated_slices_equal_the_one_shot_slices()
    {
        var (labels, scores) = FormulaRows.Binary();
        string?[] slices = [.. Enumerable.Range(0, labels.Length).Select(i => i % 7 == 0 ? "rare" : "common")];
        var accumulator = new BinaryAccumulator();

        for (var start = 0; start < labels.Length; start += 1500)
        {
            var range = start..Math.Min(labels.Length, start + 1500);
            accumulator.Add(labels.AsSpan(range), scores.AsSpan(range), slices.AsSpan(range));
        }

        var expected = SliceMetrics.Binary(slices, labels, scores);
        Assert.Equal(expected.Select(r => (r.Value, r.Count, r.Metrics.RocAuc, r.Metrics.LogLoss)), accumulator.BuildSlices().Select(r => (r.Value, r.Count, r.Metrics.RocAuc, r.Metrics.LogLoss)));
    }

    [Fact]
    public void The_one_shot_helpers_need_one_slice_value_per_row()
    {
        Assert.Throws<ArgumentException>(() => SliceMetrics.Binary([], [0, 1], [0.2, 0.8]));
        Assert.Throws<ArgumentException>(() => SliceMetrics.Regression(["a"], [1.0, 2.0], [1.0, 2.0]));
    }
}
