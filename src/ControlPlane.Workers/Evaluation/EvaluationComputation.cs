using System.Text.Json;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Evaluation.Importance;
using ControlPlane.Workers.Evaluation.Metrics;
using ControlPlane.Workers.Evaluation.MlNet;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// Scores a <see cref="ScoreRequest"/> (see <see cref="ModelScorer"/>) and turns the predictions into the stored
/// outcome: flat metrics, the full report, and where and how fast it ran. No database: it runs in the <c>score</c>
/// child process, whose own peak memory is the run's.
/// </summary>
public static class EvaluationComputation
{
    public static async Task<EvaluationOutcome> ComputeAsync(ScoreRequest request, IProgress<double>? progress, CancellationToken ct)
    {
        var input = request.Input;
        var sink = new MetricsSink(request.Task, request.Threshold);
        var importance = request.Importance is { } options ? new ImportanceScoring(options, request.Task, request.Threshold) : null;
        var (info, route) = await new ModelScorer(new OnnxExportCache(request.ExportDirectory))
            .RunAsync(request.Flavor, request.ArtifactSha256, input, sink, progress, ct, importance);

        var (report, slices, binary, multiclass, regression) = sink.Build();
        var details = new EvaluationDetails(binary, multiclass, regression, input.SliceColumn, slices, info.BatchLatencySampleMs)
        {
            Importance = request.Importance is { } asked ? info.Importance ?? ImportanceReport.NotMeasured(asked,
                "Feature importance is measured with ONNX Runtime; this ML.NET model has no usable ONNX export and was scored by ML.NET itself.") : null,
            SliceErrors = slices.Count > 0 ? SliceErrors.Rank(sink.Task!.Value, report.Flatten(), slices) : null,
        };
        var provenance = new
        {
            info.Provenance.ExecutionProvider, Route = route, info.Provenance.OnnxRuntimeVersion,
            MlNetVersion = request.Flavor == ModelFlavor.MlNet ? MlNetModel.Version : null, info.Provenance.GpuName, info.Provenance.GpuDriver,
            info.Provenance.BatchSize, info.Provenance.IntraOpThreads, info.Provenance.InterOpThreads,
            info.Rows, info.Batches, RowsPerSecond = Math.Round(info.RowsPerSecond),
            LatencyMs = new { P50 = info.LatencyP50Ms, P95 = info.LatencyP95Ms, P99 = info.LatencyP99Ms },
            // Measured in the scoring process, which runs this evaluation alone: the run's own peak.
            PeakMemoryMiB = info.PeakWorkingSetBytes / (1024 * 1024), Worker = Environment.MachineName,
            Classes = info.Classes?.Names, info.MissingFeatureValues, info.Warnings,
        };
        return new EvaluationOutcome(sink.Task!.Value,
            JsonSerializer.Serialize(report.Flatten()),
            JsonSerializer.Serialize(details, EvaluationDetails.Json),
            JsonSerializer.Serialize(provenance, EvaluationDetails.Json));
    }
}
