using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.MlNet;
using ControlPlane.Workers.Tests.Evaluation.Engine;
using Microsoft.ML;

namespace ControlPlane.Workers.Tests.Evaluation.MlNet;

/// <summary>ML.NET itself scoring a dataset file batch by batch gives ML.NET's predictions, as the ONNX engine gives an export's.</summary>
public sealed class MlNetEvaluatorTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly EvaluationFiles _files = new("cp-eval-mlnet");
    private readonly TempDirectory _cache = new("cp-onnx-cache");

    private static Task<EvaluationRunInfo> RunAsync(EvaluationInput input, IPredictionSink sink) =>
        new MlNetEvaluator().RunAsync(input, MlNetModel.Load(input.ModelPath), sink, null, CancellationToken.None);

    [Fact]
    public async Task An_uncalibrated_binary_model_gives_its_raw_scores_and_no_probabilities()
    {
        var (zip, _) = MlNetModels.TrainBinaryClassifierOnColumns(calibrated: false);
        var rows = MlNetModels.ColumnsRows(50, seed: 37);
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.ColumnsCsv(_files, rows), batchSize: 8);
        var rawScores = true;
        var sink = new CollectingSink(batch => rawScores &= !batch.ScoresAreProbabilities);

        var info = await RunAsync(input, sink);

        var expected = MlNetFiles.Predict<MlNetModels.ColumnsRow, RawBinaryScored>(zip, rows);
        Assert.True(rawScores);
        Assert.Equal((50L, 7), (info.Rows, info.Batches));
        Assert.Empty(sink.Probabilities);
        Assert.Equal(expected.Select(e => e.Score), sink.PositiveScores);
        Assert.Equal(expected.Select(e => e.PredictedLabel ? 1 : 0), sink.PredictedClasses);
    }

    [Fact]
    public async Task A_multiclass_model_gives_its_score_vector_as_probabilities_of_its_named_classes_on_both_routes()
    {
        var zip = MlNetModels.TrainMulticlassOnColumns();
        var rows = MlNetModels.SizeRows(60, seed: 41);
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.SizesCsv(_files, rows), label: "Kind", batchSize: 25);
        var direct = new CollectingSink();
        var exported = new CollectingSink();

        await RunAsync(input, direct);
        var run = await new ModelScorer(new OnnxExportCache(_cache.Path)).RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip), input, exported, null, CancellationToken.None);

        Assert.Equal(ModelScorer.ViaOnnxExport, run.Route);
        var expected = MlNetFiles.Predict<MlNetModels.SizeRow, VectorScored>(zip, rows);
        var classes = direct.Classes!.Names.ToList();
        Assert.Equal(classes, exported.Classes!.Names);
        Assert.Equal(["large", "medium", "small"], classes.Order());
        Assert.Equal(expected.Select(e => e.Score), direct.Probabilities);
        for (var row = 0; row < rows.Count; row++)
        {
            Assert.Equal(classes.IndexOf(rows[row].Kind), direct.TrueClasses[row]);
            Assert.Equal(classes.IndexOf(expected[row].PredictedLabel), direct.PredictedClasses[row]);
            Assert.Equal(direct.TrueClasses[row], exported.TrueClasses[row]);
            Assert.Equal(direct.PredictedClasses[row], exported.PredictedClasses[row]);
            for (var c = 0; c < 3; c++)
                Assert.Equal(direct.Probabilities[row][c], exported.Probabilities[row][c], Tolerance);
        }
        Assert.True(direct.PredictedClasses.Zip(direct.TrueClasses).Count(p => p.First == p.Second) > 40);
    }

    [Fact]
    public async Task A_regression_gives_its_score_on_both_routes()
    {
        var zip = MlNetModels.TrainRegressorOnColumns();
        var rows = MlNetModels.ColumnsRows(45, seed: 43);
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.ColumnsCsv(_files, rows), label: "Weight", batchSize: 10);
        var direct = new CollectingSink();
        var exported = new CollectingSink();

        var info = await RunAsync(input, direct);
        await new ModelScorer(new OnnxExportCache(_cache.Path)).RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip), input, exported, null, CancellationToken.None);

        Assert.Equal(PredictionKind.Regression, info.Kind);
        var expected = MlNetFiles.Predict<MlNetModels.ColumnsRow, ValueScored>(zip, rows);
        Assert.Equal(expected.Select(e => e.Score), direct.PredictedValues);
        Assert.Equal(rows.Select(r => r.Weight), direct.TrueValues.Select(v => (float)v)); // the CSV holds each float's shortest text
        for (var row = 0; row < rows.Count; row++)
            Assert.Equal(direct.PredictedValues[row], exported.PredictedValues[row], Tolerance);
    }

    [Fact]
    public async Task Zero_one_labels_fill_the_models_boolean_label_column_and_missing_numbers_are_counted()
    {
        var zip = MlNetModels.TrainTextClassifier();
        var data = _files.Csv("Size,Note,Label", ["0.5,good day,1", ",bad night,0", "0.25,,0"]);
        var sink = new CollectingSink();

        var info = await RunAsync(await MlNetFiles.InputAsync(_files, zip, data), sink);

        Assert.Equal([1, 0, 0], sink.TrueClasses);
        Assert.Equal(new Dictionary<string, long> { ["Size"] = 1, ["Note"] = 1 }, info.MissingFeatureValues);
    }

    [Fact]
    public async Task A_column_of_the_models_input_schema_missing_from_the_file_is_named()
    {
        var zip = MlNetModels.TrainTextClassifier();
        var data = _files.Csv("Size,Label", ["0.5,true"]);

        var error = await Assert.ThrowsAsync<EvaluationInputException>(async () => await RunAsync(await MlNetFiles.InputAsync(_files, zip, data), new CollectingSink()));

        Assert.Contains("'Note'", error.Message);
    }

    [Fact]
    public void A_model_of_another_task_is_refused_naming_it()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(MlNetModels.ColumnsRows(60));
        var clusters = ml.Transforms.Concatenate("Features", nameof(MlNetModels.ColumnsRow.Size), nameof(MlNetModels.ColumnsRow.Weight))
            .Append(ml.Clustering.Trainers.KMeans(numberOfClusters: 3)).Fit(data);
        var path = _files.Model(MlNetModels.SaveZip(clusters, data.Schema), "clusters.zip");

        var error = Assert.Throws<EvaluationInputException>(() => MlNetModel.Load(path));

        Assert.Contains("it is a Clustering model", error.Message);
    }

    public void Dispose()
    {
        _files.Dispose();
        _cache.Dispose();
    }
}
