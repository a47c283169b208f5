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

    /// <summary>A fitted model saved as a zip with the schema it was trained on (what a registered ML.NET version holds).</summary>
    public static byte[] SaveZip(ITransformer model, DataViewSchema inputSchema)
    {
        using var zip = new MemoryStream();
        new MLContext(0).Model.Save(model, inputSchema, zip);
        return zip.ToArray();
    }

    /// <summary>A row with a short free-text note: the label follows the note's first word ("good" or "great").</summary>
    public sealed class NoteRow
    {
        public float Size { get; set; }
        public string Note { get; set; } = "";
        public bool Label { get; set; }
    }

    public static List<NoteRow> NoteRows(int count, int seed = 13)
    {
        var random = new Random(seed);
        string[] first = ["good", "great", "bad", "awful", "plain"];
        string[] second = ["day", "night", "morning", "weather", "service"];
        return Enumerable.Range(0, count).Select(_ =>
        {
            var word = first[random.Next(first.Length)];
            return new NoteRow { Size = (float)random.NextDouble(), Note = $"{word} {second[random.Next(second.Length)]}", Label = word is "good" or "great" };
        }).ToList();
    }

    /// <summary>
    /// A binary classifier over a text column (FeaturizeText beside a number). ML.NET cannot export the text
    /// featurizer to ONNX (ConvertToOnnx throws), so only ML.NET itself can score it.
    /// </summary>
    public static byte[] TrainTextClassifier(int seed = 13)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(NoteRows(300, seed));
        var model = ml.Transforms.Text.FeaturizeText("NoteFeatures", nameof(NoteRow.Note))
            .Append(ml.Transforms.Concatenate("Features", nameof(NoteRow.Size), "NoteFeatures"))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 50))
            .Fit(data);
        return SaveZip(model, data.Schema);
    }

    /// <summary>
    /// A columns classifier behind a PCA projection: ML.NET exports it, but into a graph ONNX Runtime refuses to load
    /// ("the graph is not acyclic"), so it too is scored by ML.NET.
    /// </summary>
    public static byte[] TrainPcaClassifier(int seed = 11)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(ColumnsRows(300, seed));
        var model = ml.Transforms.Concatenate("Features", nameof(ColumnsRow.Size), nameof(ColumnsRow.Weight))
            .Append(ml.Transforms.ProjectToPrincipalComponents("Features", rank: 1))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20))
            .Fit(data);
        return SaveZip(model, data.Schema);
    }

    /// <summary>A row for the three-class model: the class ("small", "medium", "large") follows size + weight.</summary>
    public sealed class SizeRow
    {
        public float Size { get; set; }
        public float Weight { get; set; }
        public string Color { get; set; } = "";
        public string Kind { get; set; } = "";
    }

    public static List<SizeRow> SizeRows(int count, int seed = 17) => ColumnsRows(count, seed).Select(r => new SizeRow
    {
        Size = r.Size, Weight = r.Weight, Color = r.Color,
        Kind = (r.Size + r.Weight) switch { < 0.7f => "small", < 1.3f => "medium", _ => "large" },
    }).ToList();

    /// <summary>
    /// A three-class classifier (maximum entropy, so its Score vector holds probabilities) on the label column "Kind",
    /// mapped to keys and predicted labels mapped back to the class names; exportable to ONNX.
    /// </summary>
    public static byte[] TrainMulticlassOnColumns(int seed = 17)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(SizeRows(300, seed));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SizeRow.Kind))
            .Append(ml.Transforms.Categorical.OneHotEncoding("ColorVector", nameof(SizeRow.Color)))
            .Append(ml.Transforms.Concatenate("Features", nameof(SizeRow.Size), nameof(SizeRow.Weight), "ColorVector"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 50))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        return SaveZip(model, data.Schema);
    }

    /// <summary>A regression of <c>Weight</c> on size and color; exportable to ONNX.</summary>
    public static byte[] TrainRegressorOnColumns(int seed = 19)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(ColumnsRows(300, seed));
        var model = ml.Transforms.Categorical.OneHotEncoding("ColorVector", nameof(ColumnsRow.Color))
            .Append(ml.Transforms.Concatenate("Features", nameof(ColumnsRow.Size), "ColorVector"))
            .Append(ml.Regression.Trainers.Sdca(labelColumnName: nameof(ColumnsRow.Weight), maximumNumberOfIterations: 50))
            .Fit(data);
        return SaveZip(model, data.Schema);
    }
}
