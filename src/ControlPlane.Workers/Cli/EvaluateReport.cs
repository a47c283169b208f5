using System.Globalization;
using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// What the <c>evaluate</c> command prints: the task, rows, execution provider, the task's defined metrics (keys of
/// <see cref="MetricNames"/>, plus the confusion matrix for classifiers), throughput and per-batch latency.
/// </summary>
internal sealed record EvaluateReport(
    EvaluationTask Task,
    long Rows,
    string Device,
    IReadOnlyDictionary<string, object> Metrics,
    double ThroughputRowsPerSecond,
    EvaluateReport.Latency LatencyMs)
{
    public sealed record Latency(double P50, double P95, double P99);

    public static EvaluateReport Of(EvaluationTask task, IMetricReport report, IReadOnlyList<IReadOnlyList<long>>? confusionMatrix, EvaluationRunInfo info)
    {
        var metrics = report.Flatten().ToDictionary(kv => kv.Key, kv => (object)kv.Value);
        if (confusionMatrix is not null)
            metrics["confusionMatrix"] = confusionMatrix;
        return new EvaluateReport(task, info.Rows, info.Provenance.ExecutionProvider, metrics, info.RowsPerSecond,
            new Latency(info.LatencyP50Ms, info.LatencyP95Ms, info.LatencyP99Ms));
    }

    public string ToJson() => JsonSerializer.Serialize(this, CliJson.Options);

    public async Task WriteTableAsync(TextWriter output)
    {
        List<string[]> rows =
        [
            ["task", Task.ToString().ToLowerInvariant()],
            ["rows", Rows.ToString(CultureInfo.InvariantCulture)],
            ["device", Device],
        ];
        foreach (var (name, value) in Metrics)
            rows.Add([name, value is double number ? TextTable.Number(number) : Matrix((IReadOnlyList<IReadOnlyList<long>>)value)]);
        rows.Add(["throughput", $"{TextTable.Number(Math.Round(ThroughputRowsPerSecond))} rows/s"]);
        rows.Add(["latency", $"p50 {TextTable.Number(LatencyMs.P50)} ms, p95 {TextTable.Number(LatencyMs.P95)} ms, p99 {TextTable.Number(LatencyMs.P99)} ms"]);
        await TextTable.WriteAsync(output, rows);
    }

    private static string Matrix(IReadOnlyList<IReadOnlyList<long>> matrix) =>
        "[" + string.Join(", ", matrix.Select(row => "[" + string.Join(", ", row) + "]")) + "]";
}
