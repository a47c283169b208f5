using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Evaluations;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

/// <summary>Models and CSV files on disk, with schemas as an upload would infer them.</summary>
internal sealed class EvaluationFiles(string prefix) : IDisposable
{
    private readonly TempDirectory _dir = new(prefix);

    public string Model(byte[] bytes, string name = "model.onnx")
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Csv(string header, IEnumerable<string> rows, string name = "data.csv")
    {
        var path = _dir.File(name);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(header + "\n");
        foreach (var row in rows)
            writer.Write(row + "\n");
        return path;
    }

    /// <summary>A CSV of the given feature rows (x0, x1, …) and labels (column y).</summary>
    public string FeaturesCsv(float[][] x, IEnumerable<string> labels, string name = "data.csv") => Csv(
        string.Join(',', Enumerable.Range(0, x[0].Length).Select(i => $"x{i}")) + ",y",
        x.Zip(labels, (row, label) => string.Join(',', row.Select(Text)) + "," + label), name);

    /// <summary>The file's columns with inferred types: <paramref name="label"/> is the Label, the rest Features.</summary>
    public static async Task<IReadOnlyList<DatasetColumn>> SchemaAsync(string path, string label, params (string Column, ColumnType Type)[] overrides)
    {
        var scan = await DatasetScanner.ScanAsync(path);
        return [.. scan.Columns.Select(c =>
        {
            var type = overrides.FirstOrDefault(o => o.Column == c.Name) is { Column: not null } o ? o.Type : c.InferredType;
            return new DatasetColumn(c.Ordinal, c.Name, c.InferredType, type, c.Name == label ? ColumnRole.Label : ColumnRole.Feature, c.MissingCount);
        })];
    }

    public static async Task<EvaluationInput> InputAsync(string model, string data, string label = "y", int batchSize = 1024) =>
        new(model, data, DatasetFormat.Csv, await SchemaAsync(data, label), label) { BatchSize = batchSize, Device = EvaluationDevice.Cpu };

    public static float[][] RandomRows(int rows, int features, int seed) 
    {
        var random = new Random(seed);
        // Values with few digits survive the CSV round trip exactly as floats.
        return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, features).Select(_ => (float)Math.Round(random.NextDouble() * 4 - 2, 3)).ToArray())];
    }

    public static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _dir.Dispose();
}
