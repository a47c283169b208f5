using System.IO.Compression;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;

namespace ControlPlane.Workers.Tests;

/// <summary>Real ONNX Runtime sessions and real ML.NET loading on models the tests build.</summary>
public sealed class ArtifactInspectorTests : IDisposable
{
    private readonly TempDirectory _dir = new("cp-inspect");
    private readonly ArtifactInspector _inspector = new();

    [Fact]
    public async Task A_hand_built_onnx_graph_reports_its_exact_signature_and_metadata()
    {
        var result = await InspectAsync(HandBuiltOnnx.Identity(features: 3));

        Assert.Equal(ModelFlavor.Onnx, result.Flavor);
        var input = Assert.Single(result.Signature.Inputs);
        Assert.Equal(("X", "float"), (input.Name, input.ElementType));
        Assert.Equal([-1L, 3L], input.Shape);
        Assert.Equal("Y", Assert.Single(result.Signature.Outputs).Name);
        Assert.Equal(HandBuiltOnnx.Producer, result.Onnx!.ProducerName);
        Assert.Equal(8, result.Onnx.IrVersion);
        Assert.Equal(13, result.Onnx.OpsetImports["ai.onnx"]);
        Assert.Equal("identity-graph", result.Onnx.GraphName);
    }

    [Fact]
    public async Task A_scikit_learn_style_classifier_with_zipmap_shows_label_and_probability_map_outputs()
    {
        var result = await InspectAsync(HandBuiltOnnx.LogisticRegressionWithZipMap([0.5f, -1.25f, 2f], 0.1f));

        Assert.Equal([-1L, 3L], Assert.Single(result.Signature.Inputs).Shape);
        Assert.Equal(["label", "output_probability"], result.Signature.Outputs.Select(o => o.Name));
        Assert.Equal("int64", result.Signature.Outputs[0].ElementType);
        Assert.Equal("sequence<map<int64,float>>", result.Signature.Outputs[1].ElementType);
        Assert.Equal(1, result.Onnx!.OpsetImports["ai.onnx.ml"]);
    }

    [Fact]
    public async Task An_ml_net_zip_and_its_onnx_export_both_load()
    {
        var (zip, onnx) = MlNetModels.TrainBinaryClassifier();

        var fromZip = await InspectAsync(zip);
        var fromOnnx = await InspectAsync(onnx);

        Assert.Equal(ModelFlavor.MlNet, fromZip.Flavor);
        var features = Assert.Single(fromZip.Signature.Inputs, c => c.Name == "Features");
        Assert.Equal(("Single", 4L), (features.ElementType, features.Shape.Single()));
        Assert.Contains(fromZip.Signature.Outputs, c => c.Name == "Probability");
        Assert.Null(fromZip.Onnx);
        Assert.Equal(ModelFlavor.Onnx, fromOnnx.Flavor);
        Assert.Contains(fromOnnx.Signature.Inputs, i => i.Name == "Features");
        Assert.Contains("ML.NET", fromOnnx.Onnx!.ProducerName);
    }

    [Fact]
    public async Task External_data_is_refused_before_any_session_opens_it()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => InspectAsync(HandBuiltOnnx.WithExternalData()));

        Assert.Contains("external files", error.Message);
        Assert.Contains("../../../etc/passwd", error.Message);
    }

    [Fact]
    public async Task A_truncated_model_is_refused_with_the_reason()
    {
        var whole = MlNetModels.TrainBinaryClassifier().Onnx;

        var error = await Assert.ThrowsAsync<ValidationException>(() => InspectAsync(whole[..(whole.Length / 2)]));

        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("zip-of-text")]
    [InlineData("truncated-zip")]
    public async Task Files_that_are_not_models_are_refused(string kind)
    {
        var bytes = kind switch
        {
            "text" => "this is a CSV, not a model\n1,2,3\n"u8.ToArray(),
            "zip-of-text" => Zip("readme.txt", "hello"),
            _ => MlNetModels.TrainBinaryClassifier().Zip[..200],
        };

        var error = await Assert.ThrowsAsync<ValidationException>(() => InspectAsync(bytes));

        Assert.True(error.Errors.ContainsKey("file"));
    }

    private async Task<ArtifactInspection> InspectAsync(byte[] bytes)
    {
        var path = _dir.File($"{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, bytes);
        return await _inspector.InspectAsync(path, CancellationToken.None);
    }

    private static byte[] Zip(string name, string content)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        using (var writer = new StreamWriter(archive.CreateEntry(name).Open()))
            writer.Write(content);
        return stream.ToArray();
    }

    public void Dispose() => _dir.Dispose();
}
