using System.Security.Cryptography;
using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation.MlNet;
using ControlPlane.Workers.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static ControlPlane.Domain.Training.TrainerCatalog;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>
/// A trained pipeline's ONNX export, run in ONNX Runtime on rows it has not seen (missing values and an unseen
/// category included), predicts what ML.NET predicts; a text pipeline has no export and says so.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly TrainingData _data = new("cp-onnx");
    private readonly TempDirectory _exports = new("cp-onnx-cache");

    public void Dispose()
    {
        _data.Dispose();
        _exports.Dispose();
    }

    [Theory]
    [InlineData(TrainingTask.Binary, LightGbm)]
    [InlineData(TrainingTask.Binary, FastTree)]
    [InlineData(TrainingTask.Binary, SdcaLogistic)]
    [InlineData(TrainingTask.Multiclass, LightGbm)]
    [InlineData(TrainingTask.Multiclass, LbfgsMaximumEntropy)]
    [InlineData(TrainingTask.Regression, FastForest)]
    [InlineData(TrainingTask.Regression, Sdca)]
    public async Task The_export_agrees_with_MlNet_in_OnnxRuntime(TrainingTask task, string trainer)
    {
        var (input, test) = task switch
        {
            TrainingTask.Binary => (await TrainingData.InputAsync(_data.Churn(800, 61), task, "churned", trainer,
                [("tenure", FeatureTreatment.Numerical), ("monthlyCharges", FeatureTreatment.Numerical), ("contract", FeatureTreatment.Categorical)]), "churn"),
            TrainingTask.Multiclass => (await TrainingData.InputAsync(_data.Species(600, 62), task, "species", trainer,
                [("petalLength", FeatureTreatment.Numerical), ("petalWidth", FeatureTreatment.Numerical), ("region", FeatureTreatment.Categorical)]), "species"),
            _ => (await TrainingData.InputAsync(_data.Houses(800, 63), task, "price", trainer,
                [("area", FeatureTreatment.Numerical), ("rooms", FeatureTreatment.Numerical), ("city", FeatureTreatment.Categorical)]), "houses"),
        };
        var model = await MlNetTrainer.TrainAsync(input, null, CancellationToken.None);
        var testInput = input with { DataPath = TestFile(test) };
        var expected = await Scored.ScoreAsync(model, testInput);

        var export = Export(model);

        Assert.Null(export.Failure);
        using var session = new InferenceSession(export.Path!);
        var outputs = Run(session, expected.Table, input.Definition);
        var (actual, wanted) = task switch
        {
            TrainingTask.Binary when expected.Probabilities is { } p => (outputs["Probability.output"], p),
            TrainingTask.Multiclass => (outputs["Score.output"], expected.ScoreVectors.SelectMany(v => v).ToArray()),
            _ => (outputs["Score.output"], expected.Scores),
        };
        Assert.Equal(wanted.Length, actual.Length);
        for (var i = 0; i < wanted.Length; i++)
            Assert.True(Math.Abs(wanted[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(wanted[i])), $"value {i}: ML.NET {wanted[i]}, ONNX Runtime {actual[i]}");
    }

    [Fact]
    public async Task A_text_pipeline_has_no_export_and_says_why()
    {
        var input = await TrainingData.InputAsync(_data.Reviews(400, 71), TrainingTask.Binary, "recommended", LbfgsLogistic,
            [("stars", FeatureTreatment.Numerical), ("review", FeatureTreatment.Text)]);
        var model = await MlNetTrainer.TrainAsync(input, null, CancellationToken.None);

        var export = Export(model);

        Assert.Null(export.Path);
        Assert.StartsWith("ML.NET cannot export the pipeline to ONNX", export.Failure);
        Assert.True(model.Metrics["accuracy"] > 0.9, $"accuracy {model.Metrics["accuracy"]}");
    }

    /// <summary>Unseen rows, with a missing tenure and a category the training never saw.</summary>
    private string TestFile(string kind)
    {
        var path = kind switch { "churn" => _data.Churn(200, 99, "t.csv"), "species" => _data.Species(200, 99, "t.csv"), _ => _data.Houses(200, 99, "t.csv") };
        var lines = File.ReadAllLines(path);
        lines[1] = kind switch { "churn" => ",55.5,weekly,true", "species" => "4.1,1.3,east,versicolor", _ => "120,3,nice,200" };
        File.WriteAllLines(path, lines);
        return path;
    }

    private OnnxExport Export(TrainedModel model)
    {
        var zip = _data.Path($"{Guid.NewGuid():N}.zip");
        using (var file = File.Create(zip))
            model.SaveZip(file);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip)));
        return new OnnxExportCache(_exports.Path).GetOrConvert(sha, MlNetModel.Load(zip));
    }

    private static Dictionary<string, float[]> Run(InferenceSession session, TrainingTable table, TrainingDefinition definition)
    {
        var n = table.RowCount;
        var inputs = definition.Features.Select((f, i) => f.Treatment == FeatureTreatment.Numerical
            ? NamedOnnxValue.CreateFromTensor(f.Name, new DenseTensor<float>(table.Numbers[table.Slots[i]].ToArray(), [n, 1]))
            : NamedOnnxValue.CreateFromTensor(f.Name, new DenseTensor<string>(table.Texts[table.Slots[i]].ToArray(), [n, 1]))).ToList();
        using var results = session.Run(inputs);
        return results.Where(r => r.Value is Tensor<float>).ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }
}
