using System.Text.Json;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>Batches in, the same report out as one call over all rows; steady-state batches allocate nothing.</summary>
public sealed class AccumulatorTests
{
    private static readonly int[] BatchSizes = [1, 999, 2500, 0, 3000, 3500];

    [Fact]
    public void Binary_batches_give_the_one_shot_report()
    {
        var (labels, scores) = FormulaRows.Binary();
        var accumulator = new BinaryAccumulator(threshold: 0.3);

        foreach (var range in Batches(labels.Length))
            accumulator.Add(labels.AsSpan(range), scores.AsSpan(range));

        Assert.Equal(Json(BinaryMetrics.Compute(labels, scores, 0.3)), Json(accumulator.Build()));
    }

    [Fact]
    public void Binary_float_scores_are_widened_exactly()
    {
        var (labels, scores) = FormulaRows.Binary();
        var floats = scores.Select(s => (float)s).ToArray();
        var accumulator = new BinaryAccumulator();

        accumulator.Add(labels, floats);

        Assert.Equal(Json(BinaryMetrics.Compute(labels, floats.Select(f => (double)f).ToArray())), Json(accumulator.Build()));
    }

    [Fact]
    public void Multiclass_batches_give_the_one_shot_report()
    {
        var (labels, probabilities) = FormulaRows.Multiclass();
        string[] classes = ["a", "b", "c", "d", "e"];
        var accumulator = new MulticlassAccumulator(classes);

        foreach (var range in Batches(labels.Length, scale: 10))
        {
            var (offset, length) = range.GetOffsetAndLength(labels.Length);
            accumulator.Add(labels.AsSpan(range), probabilities.AsSpan(offset * 5, length * 5));
        }

        Assert.Equal(Json(MulticlassMetrics.Compute(labels, probabilities, classes)), Json(accumulator.Build()));
    }

    [Fact]
    public void Regression_batches_give_the_one_shot_report()
    {
        var (actual, predicted) = FormulaRows.Regression();
        var accumulator = new RegressionAccumulator();

        foreach (var range in Batches(actual.Length, scale: 10))
            accumulator.Add(actual.AsSpan(range), predicted.AsSpan(range));

        Assert.Equal(Json(RegressionMetrics.Compute(actual, predicted)), Json(accumulator.Build()));
    }

    [Fact]
    public void Batches_allocate_nothing_once_the_arrays_are_large_enough()
    {
        var (labels, scores) = FormulaRows.Binary();
        var (targets, predictions) = FormulaRows.Regression();
        var (classes, probabilities) = FormulaRows.Multiclass();
        string?[] slices = [.. Enumerable.Range(0, 10_000).Select(i => i % 3 == 0 ? "eu" : "us")];
        var binary = new BinaryAccumulator(capacity: 10_000);
        var regression = new RegressionAccumulator(capacity: 1000);
        var multiclass = new MulticlassAccumulator(["a", "b", "c", "d", "e"]);
        // First batches: JIT, and each slice's first row creates its counts.
        binary.Add(labels.AsSpan(0, 100), scores.AsSpan(0, 100), slices.AsSpan(0, 100));
        regression.Add(targets.AsSpan(0, 10), predictions.AsSpan(0, 10));
        multiclass.Add(classes.AsSpan(0, 10), probabilities.AsSpan(0, 50), slices.AsSpan(0, 10));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var batch = 1; batch < 99; batch++)
        {
            binary.Add(labels.AsSpan(batch * 100, 100), scores.AsSpan(batch * 100, 100), slices.AsSpan(batch * 100, 100));
            regression.Add(targets.AsSpan(batch * 10, 10), predictions.AsSpan(batch * 10, 10));
            multiclass.Add(classes.AsSpan(batch * 10, 10), probabilities.AsSpan(batch * 50, 50), slices.AsSpan(batch * 10, 10));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal((9900L, 990L, 990L), (binary.Count, regression.Count, multiclass.Count));
    }

    [Fact]
    public void A_refused_batch_leaves_the_accumulator_as_it_was()
    {
        var accumulator = new BinaryAccumulator();
        accumulator.Add([0, 1], [0.2, 0.8]);

        Assert.Throws<ArgumentException>(() => accumulator.Add([1, 0], [0.5, double.NaN]));
        Assert.Throws<ArgumentException>(() => accumulator.Add([1], [0.5], ["eu"]));

        Assert.Equal(2, accumulator.Count);
        Assert.Equal(1.0, accumulator.Build().RocAuc);
        Assert.Throws<ArgumentException>(() => new BinaryAccumulator(double.NaN));
    }

    [Fact]
    public void Slices_are_given_with_every_batch_or_with_none()
    {
        var sliced = new RegressionAccumulator();
        sliced.Add([1.0], [1.5], ["eu"]);
        var error = Assert.Throws<ArgumentException>(() => sliced.Add([2.0], [2.5]));
        Assert.Contains("every batch", error.Message);

        var unsliced = new MulticlassAccumulator(["a", "b"]);
        unsliced.Add([0], [0.9f, 0.1f]);
        Assert.Contains("slice every batch or none", Assert.Throws<ArgumentException>(() => unsliced.Add([1], [0.2f, 0.8f], ["eu"])).Message);
        Assert.Empty(unsliced.BuildSlices());
    }

    private static IEnumerable<Range> Batches(int total, int scale = 1)
    {
        var start = 0;
        foreach (var size in BatchSizes.Select(s => Math.Max(s / scale, s == 0 ? 0 : 1)))
        {
            var end = Math.Min(total, start + size);
            yield return start..end;
            start = end;
        }
        if (start < total)
            yield return start..total;
    }

    private static string Json<T>(T report) => JsonSerializer.Serialize(report);
}
