using System.Globalization;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.Importance;
using ControlPlane.Workers.Tests.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.Importance;

/// <summary>
/// Permutation importance on hand-built ONNX models where only some features carry weight: a feature the model ignores
/// changes no prediction when shuffled, so its drop is exactly 0; the weighted ones drop clearly, in weight order.
/// </summary>
public sealed class PermutationImportanceTests : IDisposable
{
    private readonly EvaluationFiles _files = new("cp-importance");

    [Fact]
    public async Task Binary_importance_is_zero_for_unweighted_features_and_ordered_by_weight_for_the_others()
    {
        var input = await BinaryInputAsync([3f, 1f, 0f, 0f]);

        var report = await ImportanceAsync(input, new ImportanceOptions(5, Seed: 7));

        Assert.Equal("rocAuc", report.Metric);
        Assert.Equal(5, report.Repeats);
        Assert.Equal(2000, report.SampleRows);
        Assert.Equal(["x0", "x1"], report.Features.Take(2).Select(f => f.Feature));
        // Shuffling a feature with weight 0 leaves every score as it was: the AUC cannot move.
        foreach (var ignored in report.Features.Where(f => f.Feature is "x2" or "x3"))
        {
            Assert.All(ignored.Drops, d => Assert.Equal(0, d, 1e-12));
            Assert.Equal(0, ignored.StandardDeviation, 1e-12);
        }
        var (strong, weak) = (report.Features[0], report.Features[1]);
        Assert.True(strong.Mean > 0.2, $"x0 dropped the AUC by {strong.Mean}");
        Assert.True(weak.Mean > 0.02, $"x1 dropped the AUC by {weak.Mean}");
        Assert.True(strong.Mean > weak.Mean + 3 * (strong.StandardDeviation + weak.StandardDeviation));
        Assert.Equal(5, strong.Drops.Count);
    }

    [Fact]
    public async Task The_same_seed_reproduces_every_figure_and_another_seed_draws_other_permutations()
    {
        var input = await BinaryInputAsync([2f, 1f, 0.5f]);

        var first = await ImportanceAsync(input, new ImportanceOptions(3, Seed: 11));
        var again = await ImportanceAsync(input, new ImportanceOptions(3, Seed: 11));
        var other = await ImportanceAsync(input, new ImportanceOptions(3, Seed: 12));

        Assert.Equal(first.Features.SelectMany(f => f.Drops), again.Features.SelectMany(f => f.Drops));
        Assert.NotEqual(Drops(first, "x0"), Drops(other, "x0"));
        Assert.Equal(first.Baseline, other.Baseline);
    }

    [Fact]
    public async Task Regression_importance_matches_the_expected_rmse_of_a_shuffled_linear_term()
    {
        // y = 2·x0 + 0.5·x1 + 0·x2 exactly, x uniform on [0, 1): the baseline RMSE is 0, and shuffling x_j leaves the
        // residual w_j·(x_j − x_π(j)), whose mean square is 2·Var(x_j) = 2/12, so the drop is |w_j|·√(1/6).
        var random = new Random(3);
        var x = Enumerable.Range(0, 4000).Select(_ => new[] { random.NextSingle(), random.NextSingle(), random.NextSingle() }).ToArray();
        var y = x.Select(r => (2.0 * r[0] + 0.5 * r[1]).ToString("R", CultureInfo.InvariantCulture));
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([2f, 0.5f, 0f], 0f)), _files.FeaturesCsv(x, y));

        var report = await ImportanceAsync(input, new ImportanceOptions(5, Seed: 1));

        Assert.Equal(MainMetric.NegativeRmse, report.Metric);
        Assert.Equal(0, report.Baseline!.Value, 1e-5);
        Assert.Equal(2 * Math.Sqrt(1 / 6.0), Mean(report, "x0"), 0.05);
        Assert.Equal(0.5 * Math.Sqrt(1 / 6.0), Mean(report, "x1"), 0.0125);
        Assert.Equal(0, Mean(report, "x2"), 1e-6);
    }

    [Fact]
    public async Task Multiclass_importance_uses_macro_f1_and_ignores_a_feature_no_class_weighs()
    {
        // Three classes; class k's logit is 4·x_k for k < 2 and 0 for class 2, so x2 weighs nothing.
        float[][] weights = [[4f, 0f, 0f], [0f, 4f, 0f], [0f, 0f, 0f]];
        var x = EvaluationFiles.RandomRows(1500, 3, seed: 5);
        var labels = x.Select(r => ArgMax(4 * r[0], 4 * r[1], 0).ToString(CultureInfo.InvariantCulture));
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.SoftmaxClassifier(weights, [0f, 0f, 0f])), _files.FeaturesCsv(x, labels));

        var report = await ImportanceAsync(input, new ImportanceOptions(3, Seed: 2));

        Assert.Equal("macroF1", report.Metric);
        Assert.Equal(1, report.Baseline!.Value, 1e-12);
        Assert.True(Mean(report, "x0") > 0.2);
        Assert.True(Mean(report, "x1") > 0.2);
        Assert.Equal(0, Mean(report, "x2"), 1e-12);
    }

    [Fact]
    public async Task A_file_bigger_than_the_sample_is_measured_on_a_seeded_sample_of_the_stated_size()
    {
        var input = await BinaryInputAsync([1f, 0f]);

        var report = await ImportanceAsync(input, new ImportanceOptions(2, Seed: 4, MaxRows: 500));
        var again = await ImportanceAsync(input, new ImportanceOptions(2, Seed: 4, MaxRows: 500));

        Assert.Equal(500, report.SampleRows);
        Assert.Equal(2000, report.DatasetRows);
        Assert.Equal(report.Baseline, again.Baseline);
        Assert.Equal(Drops(report, "x0"), Drops(again, "x0"));
    }

    [Fact]
    public void Fisher_Yates_gives_a_permutation_that_the_seed_decides()
    {
        var a = PermutationImportance.Shuffle(1000, new Random(9));
        var b = PermutationImportance.Shuffle(1000, new Random(9));
        var c = PermutationImportance.Shuffle(1000, new Random(10));

        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Progress_runs_through_scoring_then_importance_up_to_one()
    {
        var input = await BinaryInputAsync([1f, 1f]);
        var seen = new List<double>();

        await new OnnxEvaluator().RunAsync(input, new CollectingSink(), new SynchronousProgress(seen.Add), CancellationToken.None,
            new ImportanceScoring(new ImportanceOptions(2, 1), null, 0.5));

        Assert.Equal(1, seen[^1], 1e-12);
        Assert.Contains(seen, p => p is > 0.5 and < 1);
        Assert.Equal(seen.Order(), seen);
    }

    private async Task<EvaluationInput> BinaryInputAsync(float[] weights)
    {
        // Labels drawn from the model's own probabilities, so it is well calibrated and imperfect.
        var random = new Random(17);
        var x = EvaluationFiles.RandomRows(2000, weights.Length, seed: 8);
        var labels = x.Select(r => random.NextDouble() < 1 / (1 + Math.Exp(-r.Zip(weights, (v, w) => v * w).Sum())) ? "1" : "0");
        var name = string.Join('_', weights);
        return await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LogisticRegressionWithZipMap(weights, 0f), $"m{name}.onnx"),
            _files.FeaturesCsv(x, labels, $"d{name}.csv"), batchSize: 256);
    }

    private static async Task<ImportanceReport> ImportanceAsync(EvaluationInput input, ImportanceOptions options)
    {
        var info = await new OnnxEvaluator().RunAsync(input, new CollectingSink(), null, CancellationToken.None, new ImportanceScoring(options, null, 0.5));
        return info.Importance!;
    }

    private static double Mean(ImportanceReport report, string feature) => report.Features.Single(f => f.Feature == feature).Mean;
    private static IReadOnlyList<double> Drops(ImportanceReport report, string feature) => report.Features.Single(f => f.Feature == feature).Drops;
    private static int ArgMax(params float[] values) => Array.IndexOf(values, values.Max());

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    public void Dispose() => _files.Dispose();
}
