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

    /// <summary>A row of named scalar columns, as a CSV gives them: two numbers, a category and the label.</summary>
    public sealed class ColumnsRow
    {
        public float Size { get; set; }
        public float Weight { get; set; }
        public string Color { get; set; } = "";
        public bool Label { get; set; }
    }

    /// <summary>Rows whose label follows <c>size - weight + (color == "red" ? 0.5 : 0) &gt; 0</c>, with noise-free separation.</summary>
    public static List<ColumnsRow> ColumnsRows(int count, int seed = 11)
    {
        var random = new Random(seed);
        string[] colors = ["red", "green", "blue"];
        return Enumerable.Range(0, count).Select(_ =>
        {
            var row = new ColumnsRow { Size = (float)random.NextDouble(), Weight = (float)random.NextDouble(), Color = colors[random.Next(3)] };
            row.Label = row.Size - row.Weight + (row.Color == "red" ? 0.5f : 0f) > 0;
            return row;
        }).ToList();
    }

    /// <summary>
    /// A binary classifier over named columns (one-hot color, concatenated with two numbers), exported to ONNX: the
    /// export has one input per column (Label included) and passthrough, PredictedLabel, Score and (when
    /// <paramref name="calibrated"/>: logistic regression; otherwise an averaged perceptron) Probability outputs.
    /// </summary>
    public static (byte[] Zip, byte[] Onnx) TrainBinaryClassifierOnColumns(int seed = 11, bool calibrated = true)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(ColumnsRows(400, seed));
        var features = ml.Transforms.Categorical.OneHotEncoding("ColorVector", nameof(ColumnsRow.Color))
            .Append(ml.Transforms.Concatenate("Features", nameof(ColumnsRow.Size), nameof(ColumnsRow.Weight), "ColorVector"));
        var model = calibrated
            ? (ITransformer)features.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 50)).Fit(data)
            : features.Append(ml.BinaryClassification.Trainers.AveragedPerceptron(numberOfIterations: 10)).Fit(data);
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        using var onnx = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, onnx);
        return (zip.ToArray(), onnx.ToArray());
    }
}
