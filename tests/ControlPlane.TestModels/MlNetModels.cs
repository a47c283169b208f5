using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.TestModels;

/// <summary>A real ML.NET binary classifier trained on generated data, saved as a zip and exported to ONNX.</summary>
public static class MlNetModels
{
    public sealed class Row
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    public static (byte[] Zip, byte[] Onnx) TrainBinaryClassifier(int seed = 7)
    {
        var ml = new MLContext(seed);
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble()).ToArray();
            return new Row { Features = x, Label = x[0] + 0.5f * x[1] - x[2] > 0.2f };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20));
        var model = pipeline.Fit(data);
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        using var onnx = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, onnx);
        return (zip.ToArray(), onnx.ToArray());
    }
}
