using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.MlNet;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// Scores a run's model version on its dataset version (see <see cref="ModelScorer"/>) and turns the predictions into
/// the stored outcome: flat metrics, the full report, and where and how fast it ran.
/// </summary>
public sealed class EvaluationExecutor(IDbContextFactory<ControlPlaneDbContext> contexts, IArtifactStore store, ModelScorer scorer, TimeProvider time,
    IProgressNotifier live)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task<EvaluationOutcome> ExecuteAsync(Guid evaluationId, CancellationToken ct)
    {
        EvaluationRun run;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            run = await db.EvaluationRuns.AsNoTracking().Include(e => e.ModelVersion).Include(e => e.DatasetVersion)
                .SingleAsync(e => e.Id == evaluationId, ct);
        var model = run.ModelVersion!;
        var data = run.DatasetVersion!;
        var input = new EvaluationInput(
            await store.GetLocalPathAsync(model.ArtifactSha256, verify: true, ct),
            await store.GetLocalPathAsync(data.FileSha256, verify: true, ct),
            data.Format, DatasetSchemas.WithLabel(DatasetColumn.FromJson(data.Schema), run.LabelColumn), run.LabelColumn)
        {
            SliceColumn = run.SliceColumn, Device = run.Device, BatchSize = run.BatchSize,
        };
        var sink = new MetricsSink(run.Task, run.Threshold);
        var progress = new Domain.Common.ThrottledProgress(time, ProgressInterval, fraction => SaveProgressAsync(evaluationId, fraction));
        var (info, route) = await scorer.RunAsync(model.Flavor, model.ArtifactSha256, input, sink, progress, ct);

        var (report, slices, binary, multiclass, regression) = sink.Build();
        var details = new EvaluationDetails(binary, multiclass, regression, run.SliceColumn, slices, info.BatchLatencySampleMs);
        var provenance = new
        {
            info.Provenance.ExecutionProvider, Route = route, info.Provenance.OnnxRuntimeVersion,
            MlNetVersion = model.Flavor == ModelFlavor.MlNet ? MlNetModel.Version : null, info.Provenance.GpuName, info.Provenance.GpuDriver,
            info.Provenance.BatchSize, info.Provenance.IntraOpThreads, info.Provenance.InterOpThreads,
            info.Rows, info.Batches, RowsPerSecond = Math.Round(info.RowsPerSecond),
            LatencyMs = new { P50 = info.LatencyP50Ms, P95 = info.LatencyP95Ms, P99 = info.LatencyP99Ms },
            PeakMemoryMiB = info.PeakWorkingSetBytes / (1024 * 1024), Worker = Environment.MachineName,
            Classes = info.Classes?.Names, info.MissingFeatureValues, info.Warnings,
        };
        return new EvaluationOutcome(sink.Task!.Value,
            JsonSerializer.Serialize(report.Flatten()),
            JsonSerializer.Serialize(details, EvaluationDetails.Json),
            JsonSerializer.Serialize(provenance, EvaluationDetails.Json));
    }

    private async Task SaveProgressAsync(Guid evaluationId, double fraction)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.EvaluationRuns.Where(e => e.Id == evaluationId && e.Status == EvaluationStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Progress, Math.Round(fraction, 4)));
        live.Changed(LiveSubject.Evaluation(evaluationId));
    }
}
