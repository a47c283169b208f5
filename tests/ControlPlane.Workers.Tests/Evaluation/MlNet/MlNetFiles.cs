using System.Security.Cryptography;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Tests.Evaluation.Engine;
using Microsoft.ML;

namespace ControlPlane.Workers.Tests.Evaluation.MlNet;

/// <summary>CSV files of the ML.NET test rows, and ML.NET's own predictions on the same rows.</summary>
internal static class MlNetFiles
{
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string ColumnsCsv(EvaluationFiles files, IEnumerable<MlNetModels.ColumnsRow> rows) => files.Csv("Size,Weight,Color,Label",
        rows.Select(r => $"{EvaluationFiles.Text(r.Size)},{EvaluationFiles.Text(r.Weight)},{r.Color},{(r.Label ? "true" : "false")}"));

    public static string NotesCsv(EvaluationFiles files, IEnumerable<MlNetModels.NoteRow> rows) => files.Csv("Size,Note,Label",
        rows.Select(r => $"{EvaluationFiles.Text(r.Size)},{r.Note},{(r.Label ? "true" : "false")}"));

    public static string SizesCsv(EvaluationFiles files, IEnumerable<MlNetModels.SizeRow> rows) => files.Csv("Size,Weight,Color,Kind",
        rows.Select(r => $"{EvaluationFiles.Text(r.Size)},{EvaluationFiles.Text(r.Weight)},{r.Color},{r.Kind}"));

    /// <summary>ML.NET's predictions for <paramref name="rows"/>, read as <typeparamref name="TScored"/>.</summary>
    public static List<TScored> Predict<TRow, TScored>(byte[] zip, IEnumerable<TRow> rows) where TRow : class where TScored : class, new()
    {
        var ml = new MLContext(0);
        using var stream = new MemoryStream(zip);
        var model = ml.Model.Load(stream, out _);
        return [.. ml.Data.CreateEnumerable<TScored>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false)];
    }

    public static Task<EvaluationInput> InputAsync(EvaluationFiles files, byte[] zip, string data, string label = "Label", int batchSize = 1024) =>
        EvaluationFiles.InputAsync(files.Model(zip, "model.zip"), data, label, batchSize);
}

internal sealed class BinaryScored
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }
}

internal sealed class RawBinaryScored
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
}

internal sealed class VectorScored
{
    public float[] Score { get; set; } = [];
    public string PredictedLabel { get; set; } = "";
}

internal sealed class ValueScored
{
    public float Score { get; set; }
}
