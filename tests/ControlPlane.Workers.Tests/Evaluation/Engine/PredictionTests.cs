using ControlPlane.Domain.Datasets;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

/// <summary>Predictions from real ONNX Runtime sessions equal the values computed by hand, row by row, across batches.</summary>
public sealed class PredictionTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly EvaluationFiles _files = new("cp-eval-predict");
    private readonly OnnxEvaluator _evaluator = new();

    [Fact]
    public async Task A_softmax_classifier_gives_hand_computed_probabilities_for_every_row_across_batches_of_seven()
    {
        float[][] w = [[1f, -0.5f, 0.25f, 0f], [-1f, 0.75f, 0.5f, 0.1f], [0.3f, 0.2f, -0.6f, 0.9f]];
        float[] b = [0.1f, -0.2f, 0.3f, 0f];
        var x = EvaluationFiles.RandomRows(50, 3, seed: 1);
        var labels = Enumerable.Range(0, 50).Select(i => (i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.SoftmaxClassifier(w, b)), _files.FeaturesCsv(x, labels), batchSize: 7);
        var sink = new CollectingSink();

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal(50, info.Rows);
        Assert.Equal(8, info.Batches);
        Assert.Equal([.. Enumerable.Range(0, 8).Select(i => ((long)i * 7, i < 7 ? 7 : 1))], sink.Batches);
        Assert.Equal(PredictionKind.Classification, info.Kind);
        Assert.Equal(["0", "1", "2", "3"], info.Classes!.Names);
        Assert.Contains(info.Warnings, w => w.Contains("does not name its classes"));
        for (var row = 0; row < 50; row++)
        {
            var logits = Enumerable.Range(0, 4).Select(c => b[c] + Enumerable.Range(0, 3).Sum(f => (double)x[row][f] * w[f][c])).ToArray();
            var sum = logits.Sum(Math.Exp);
            var expected = logits.Select(l => Math.Exp(l) / sum).ToArray();
            for (var c = 0; c < 4; c++)
                Assert.Equal(expected[c], sink.Probabilities[row][c], Tolerance);
            Assert.Equal(Array.IndexOf(expected, expected.Max()), sink.PredictedClasses[row]);
            Assert.Equal(row % 4, sink.TrueClasses[row]);
        }
        Assert.Empty(sink.PositiveScores);
    }

    [Fact]
    public async Task A_hand_built_mlp_gives_the_hand_computed_forward_pass()
    {
        var layers = HandBuiltOnnx.RandomLayers([3, 5, 4, 2], seed: 3);
        var x = EvaluationFiles.RandomRows(20, 3, seed: 4);
        var labels = Enumerable.Range(0, 20).Select(i => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.Mlp(layers)), _files.FeaturesCsv(x, labels), batchSize: 6);
        var sink = new CollectingSink();

        await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        for (var row = 0; row < 20; row++)
        {
            var h = x[row].Select(v => (double)v).ToArray();
            for (var k = 0; k < layers.Length; k++)
            {
                var (w, b) = layers[k];
                var z = Enumerable.Range(0, b.Length).Select(j => b[j] + Enumerable.Range(0, h.Length).Sum(i => h[i] * w[i][j])).ToArray();
                h = k < layers.Length - 1 ? [.. z.Select(v => Math.Max(v, 0))] : z;
            }
            var p1 = 1 / (1 + Math.Exp(h[0] - h[1]));
            Assert.Equal(p1, sink.PositiveScores[row], Tolerance);
            Assert.Equal(1 - p1, sink.Probabilities[row][0], Tolerance);
        }
    }

    [Theory]
    [InlineData("0", "1")]
    [InlineData("0.0", "1.0")]
    [InlineData("false", "true")]
    public async Task A_scikit_learn_logistic_regression_with_zipmap_gives_the_logistic_probability_of_class_1(string negative, string positive)
    {
        float[] w = [0.5f, -1.25f, 2f];
        const float bias = 0.1f;
        var x = EvaluationFiles.RandomRows(50, 3, seed: 2);
        var labels = Enumerable.Range(0, 50).Select(i => i % 3 == 0 ? positive : negative);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LogisticRegressionWithZipMap(w, bias)), _files.FeaturesCsv(x, labels), batchSize: 7);
        var sink = new CollectingSink();

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal([0L, 1L], info.Classes!.Numbers);
        Assert.Empty(info.Warnings);
        for (var row = 0; row < 50; row++)
        {
            var z = bias + Enumerable.Range(0, 3).Sum(f => (double)x[row][f] * w[f]);
            var p = 1 / (1 + Math.Exp(-z));
            Assert.Equal(p, sink.PositiveScores[row], Tolerance);
            Assert.Equal(1 - p, sink.Probabilities[row][0], Tolerance);
            Assert.Equal(p, sink.Probabilities[row][1], Tolerance);
            Assert.Equal(z > 0 ? 1 : 0, sink.PredictedClasses[row]);
            Assert.Equal(row % 3 == 0 ? 1 : 0, sink.TrueClasses[row]);
        }
    }

    [Fact]
    public async Task String_classes_from_a_zipmap_are_put_in_the_model_class_order_whatever_order_the_maps_use()
    {
        string[] classes = ["zebra", "ant", "moth"];
        float[][] w = [[1f, 0f], [0f, 1f], [-1f, -1f]];
        float[] b = [0f, 0.2f, -0.1f];
        var x = EvaluationFiles.RandomRows(30, 2, seed: 3);
        var labels = Enumerable.Range(0, 30).Select(i => classes[i % 3]);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.StringClassifierWithZipMap(classes, w, b)), _files.FeaturesCsv(x, labels), batchSize: 8);
        var sink = new CollectingSink();

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal(classes, info.Classes!.Texts);
        for (var row = 0; row < 30; row++)
        {
            var scores = Enumerable.Range(0, 3).Select(c => b[c] + (double)x[row][0] * w[c][0] + (double)x[row][1] * w[c][1]).ToArray();
            var sum = scores.Sum(Math.Exp);
            for (var c = 0; c < 3; c++)
                Assert.Equal(Math.Exp(scores[c]) / sum, sink.Probabilities[row][c], Tolerance);
            Assert.Equal(Array.IndexOf(scores, scores.Max()), sink.PredictedClasses[row]);
            Assert.Equal(row % 3, sink.TrueClasses[row]);
        }
    }

    [Fact]
    public async Task A_linear_regressor_gives_the_linear_value_and_the_true_values_with_it()
    {
        float[] w = [2f, -1f, 0.5f];
        const float bias = -0.75f;
        var x = EvaluationFiles.RandomRows(50, 3, seed: 4);
        var y = Enumerable.Range(0, 50).Select(i => i * 0.5).ToList();
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor(w, bias)),
            _files.FeaturesCsv(x, y.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))), batchSize: 7);
        var sink = new CollectingSink();

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal(PredictionKind.Regression, info.Kind);
        Assert.Null(info.Classes);
        Assert.Equal(y, sink.TrueValues);
        for (var row = 0; row < 50; row++)
            Assert.Equal(bias + Enumerable.Range(0, 3).Sum(f => (double)x[row][f] * w[f]), sink.PredictedValues[row], Tolerance);
        Assert.Empty(sink.PredictedClasses);
    }

    [Fact]
    public async Task An_ml_net_export_with_named_inputs_evaluates_from_a_csv_with_the_same_probabilities_as_ml_net()
    {
        var (zip, onnx) = MlNetModels.TrainBinaryClassifierOnColumns();
        var rows = MlNetModels.ColumnsRows(120, seed: 5);
        var data = _files.Csv("Size,Weight,Color,Label", rows.Select(r =>
            $"{EvaluationFiles.Text(r.Size)},{EvaluationFiles.Text(r.Weight)},{r.Color},{(r.Label ? "true" : "false")}"));
        var input = await EvaluationFiles.InputAsync(_files.Model(onnx), data, label: "Label", batchSize: 50);
        var sink = new CollectingSink();

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        var ml = new MLContext(0);
        using var zipStream = new MemoryStream(zip);
        var model = ml.Model.Load(zipStream, out _);
        var expected = ml.Data.CreateEnumerable<Scored>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToList();
        Assert.Equal(120, info.Rows);
        Assert.Equal(2, info.Classes!.Count);
        for (var row = 0; row < 120; row++)
        {
            Assert.Equal(expected[row].Probability, sink.PositiveScores[row], Tolerance);
            Assert.Equal(expected[row].PredictedLabel ? 1 : 0, sink.PredictedClasses[row]);
            Assert.Equal(rows[row].Label ? 1 : 0, sink.TrueClasses[row]);
        }
        Assert.True(sink.PredictedClasses.Zip(sink.TrueClasses).Count(p => p.First == p.Second) > 100);
    }

    [Fact]
    public async Task An_uncalibrated_ml_net_export_gives_its_raw_scores_and_no_probabilities()
    {
        var (zip, onnx) = MlNetModels.TrainBinaryClassifierOnColumns(calibrated: false);
        var rows = MlNetModels.ColumnsRows(60, seed: 6);
        var data = _files.Csv("Size,Weight,Color,Label", rows.Select(r =>
            $"{EvaluationFiles.Text(r.Size)},{EvaluationFiles.Text(r.Weight)},{r.Color},{(r.Label ? "True" : "False")}"));
        var input = await EvaluationFiles.InputAsync(_files.Model(onnx), data, label: "Label", batchSize: 16);
        var rawScores = true;
        var sink = new CollectingSink(batch => rawScores &= !batch.ScoresAreProbabilities);

        await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        var ml = new MLContext(0);
        using var zipStream = new MemoryStream(zip);
        var model = ml.Model.Load(zipStream, out _);
        var expected = ml.Data.CreateEnumerable<RawScored>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToList();
        Assert.True(rawScores);
        Assert.Empty(sink.Probabilities);
        Assert.Equal(expected.Select(e => (double)e.Score), sink.PositiveScores.Select(s => (double)s), new ToleranceComparer(Tolerance));
        Assert.Equal(expected.Select(e => e.PredictedLabel ? 1 : 0), sink.PredictedClasses);
    }

    [Fact]
    public async Task A_chosen_value_output_overrides_the_detected_probabilities()
    {
        var (zip, onnx) = MlNetModels.TrainBinaryClassifierOnColumns();
        var rows = MlNetModels.ColumnsRows(40, seed: 7);
        var data = _files.Csv("Size,Weight,Color,Label", rows.Select(r =>
            $"{EvaluationFiles.Text(r.Size)},{EvaluationFiles.Text(r.Weight)},{r.Color},{(r.Label ? "true" : "false")}"));
        var input = await EvaluationFiles.InputAsync(_files.Model(onnx), data, label: "Label") with { ValueOutput = "Score.output" };
        var sink = new CollectingSink();

        await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        var ml = new MLContext(0);
        using var zipStream = new MemoryStream(zip);
        var expected = ml.Data.CreateEnumerable<RawScored>(ml.Model.Load(zipStream, out _).Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false);
        Assert.Empty(sink.Probabilities);
        Assert.Equal(expected.Select(e => (double)e.Score), sink.PositiveScores.Select(s => (double)s), new ToleranceComparer(Tolerance));
    }

    [Fact]
    public async Task An_ml_net_feature_vector_export_needs_a_vector_column_and_says_so()
    {
        var data = _files.Csv("f0,f1,f2,f3,Label", ["0.1,0.2,0.3,0.4,true"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(MlNetModels.TrainBinaryClassifier().Onnx), data, label: "Label");

        var error = await Assert.ThrowsAsync<EvaluationInputException>(() => _evaluator.RunAsync(input, new CollectingSink(), null, CancellationToken.None));

        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public async Task Missing_float_features_pass_through_as_nan_and_are_counted_per_column()
    {
        var data = _files.Csv("x0,x1,x2,y", ["1,2,3,0", "1,,3,1", "NA,2,,0"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f, 1f, 1f], 0f)), data);
        var sink = new CollectingSink();

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal(6f, sink.PredictedValues[0]);
        Assert.True(float.IsNaN(sink.PredictedValues[1]));
        Assert.Equal(new Dictionary<string, long> { ["x0"] = 1, ["x1"] = 1, ["x2"] = 1 }, info.MissingFeatureValues);
    }

    [Fact]
    public async Task Explicit_features_are_packed_in_the_order_given_and_slice_values_travel_with_predictions()
    {
        var data = _files.Csv("a,b,region,c,y", ["1,10,north,100,0", "2,20,,200,1", "3,30,south,300,2"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f, 10f], 0f)), data) with
        {
            Features = ["c", "a"],
            SliceColumn = "region",
        };
        var sink = new CollectingSink();

        await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal([110f, 220f, 330f], sink.PredictedValues);
        Assert.Equal(["north", null, "south"], sink.Slices);
    }

    [Fact]
    public async Task Progress_reaches_one_and_run_info_has_latency_throughput_and_memory()
    {
        var x = EvaluationFiles.RandomRows(500, 3, seed: 6);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f, 2f, 3f], 0f)), _files.FeaturesCsv(x, x.Select(_ => "1")), batchSize: 64);
        var reports = new List<double>();

        var info = await _evaluator.RunAsync(input, new CollectingSink(), new SynchronousProgress(reports.Add), CancellationToken.None);

        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order(), reports);
        Assert.True(info.RowsPerSecond > 0);
        Assert.True(info.LatencyP50Ms <= info.LatencyP95Ms && info.LatencyP95Ms <= info.LatencyP99Ms);
        Assert.True(info.PeakWorkingSetBytes > 0);
        Assert.Equal(64, info.Provenance.BatchSize);
    }

    public void Dispose() => _files.Dispose();

    private sealed class RawScored
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));
        public int GetHashCode(double obj) => 0;
    }

    private sealed class Scored
    {
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }
}

internal sealed class SynchronousProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
