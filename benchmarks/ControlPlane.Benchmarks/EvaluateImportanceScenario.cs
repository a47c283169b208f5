using System.Diagnostics;
using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Evaluations;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.Importance;

namespace ControlPlane.Benchmarks;

/// <summary>
/// What permutation importance adds to an evaluation: the same model and CSV evaluated by <see cref="OnnxEvaluator"/>
/// without importance and with it (5 repeats, the default 10,000-row sample), alternating, in one process. Reports
/// dataset rows per second of wall time for both, and the rows scored per second by the permutation passes
/// (sample × (1 + features × repeats) rows).
/// </summary>
internal static class EvaluateImportanceScenario
{
    private const int Repeats = 5;

    public static async Task RunAsync(int rows, int features, int runs)
    {
        var directory = Directory.CreateTempSubdirectory("cp-importance-bench").FullName;
        try
        {
            var csv = Path.Combine(directory, "data.csv");
            await EvaluatePipelineScenario.WriteCsvAsync(csv, rows, features);
            var scan = await DatasetScanner.ScanAsync(csv);
            IReadOnlyList<DatasetColumn> schema = [.. scan.Columns.Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType,
                c.Name == "y" ? ColumnRole.Label : ColumnRole.Feature, c.MissingCount))];
            var random = new Random(5);
            var model = Path.Combine(directory, "model.onnx");
            await File.WriteAllBytesAsync(model, HandBuiltOnnx.SoftmaxClassifier(
                [.. Enumerable.Range(0, features).Select(_ => new[] { (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f })], [0f, 0f]));
            var input = new EvaluationInput(model, csv, DatasetFormat.Csv, schema, "y") { Device = EvaluationDevice.Cpu };
            var sample = Math.Min(rows, ImportanceOptions.DefaultMaxRows);
            var passRows = (long)sample * (1 + features * Repeats);
            Console.WriteLine(Invariant($"{rows:N0} rows × {features} features, softmax {features}→2, importance: {Repeats} repeats on {sample:N0} rows = {passRows:N0} rows scored"));
            Console.WriteLine();
            Console.WriteLine("| run | without: rows/s | with: rows/s | with ÷ without | permutation passes: rows scored/s |");
            Console.WriteLine("|---|---|---|---|---|");
            for (var i = 1; i <= runs; i++)
            {
                var without = await TimeAsync(input, null);
                var with = await TimeAsync(input, new ImportanceScoring(new ImportanceOptions(Repeats, i), null, 0.5));
                var importanceSeconds = with - without;
                Console.WriteLine(Invariant(
                    $"| {i} | {rows / without:N0} | {rows / with:N0} | {without / with:F2} | {(importanceSeconds > 0 ? $"{passRows / importanceSeconds:N0}" : "n/a")} |"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> TimeAsync(EvaluationInput input, ImportanceScoring? importance)
    {
        var sw = Stopwatch.StartNew();
        await new OnnxEvaluator().RunAsync(input, new NullSink(), null, CancellationToken.None, importance);
        return sw.Elapsed.TotalSeconds;
    }

    private sealed class NullSink : IPredictionSink
    {
        public void OnBatch(PredictionBatch batch)
        {
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
