using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// <c>evaluate --model FILE.onnx --data FILE --label COLUMN [--task …] [--features a,b] [--device …] [--batch-size N]
/// [--format json|table]</c>: scores an ONNX model on a CSV or Parquet file with the evaluation engine the jobs use
/// (docs/evaluations.md). Needs no configuration or database. Exit 0 on success; 2 with a one-line reason on bad input.
/// </summary>
public static class EvaluateCommand
{
    public const string Usage = "usage: evaluate --model FILE.onnx --data FILE.csv|.parquet --label COLUMN [--task binary|multiclass|regression] " +
        "[--features a,b,c] [--device auto|cpu|cuda] [--batch-size N] [--format json|table]";

    // A score at or above it counts as the positive class, as in the evaluation jobs' default.
    private const double Threshold = 0.5;

    private static readonly string[] Options = ["--model", "--data", "--label", "--task", "--features", "--device", "--batch-size", "--format"];

    public static bool Matches(string[] args) => args is ["evaluate", ..];

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        CliRunner.RunAsync("evaluate", error, async () =>
        {
            if (args is [_, "--help" or "-h"])
            {
                await output.WriteLineAsync(Usage);
                return CliRunner.Ok;
            }
            var line = CommandLine.Parse(args[1..], Options);
            var modelPath = InputFile.Existing("model file", line.Required("--model"));
            var dataPath = InputFile.Existing("data file", line.Required("--data"));
            var label = line.Required("--label");
            var task = line.Enum<EvaluationTask>("--task");
            var device = line.Enum<EvaluationDevice>("--device") ?? EvaluationDevice.Auto;
            var batchSize = line.PositiveInt("--batch-size", 1024);
            var table = line.Choice("--format", ["json", "table"], "json") == "table";

            var scan = await InputFile.ReadAsync("data file", dataPath, () => DatasetScanner.ScanAsync(dataPath, ct: ct));
            var (schema, labelName, features) = EvaluationSchema.Build(scan, label, line.List("--features"));
            var input = new EvaluationInput(modelPath, dataPath, scan.Format, schema, labelName)
            {
                Features = features, Device = device, BatchSize = batchSize,
            };
            var sink = new MetricsSink(task, Threshold);
            var info = await new OnnxEvaluator().RunAsync(input, sink, null, ct);
            var (metrics, _, binary, multiclass, _) = sink.Build();
            var report = EvaluateReport.Of(sink.Task!.Value, metrics, binary?.ConfusionMatrix ?? multiclass?.ConfusionMatrix, info);

            foreach (var warning in info.Warnings)
                await error.WriteLineAsync($"evaluate: warning: {warning.ReplaceLineEndings(" ")}");
            if (table)
                await report.WriteTableAsync(output);
            else
                await output.WriteLineAsync(report.ToJson());
            return CliRunner.Ok;
        });
}
