using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.Importance;
using ControlPlane.Workers.Evaluation.MlNet;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// Scores a run's model version on its dataset version in a child process (<see cref="IsolatedScorer"/>, which runs
/// <see cref="EvaluationComputation"/>) and returns the stored outcome: flat metrics, the full report, and where and
/// how fast it ran.
/// </summary>
public sealed class EvaluationExecutor(IDbContextFactory<ControlPlaneDbContext> contexts, IArtifactStore store, IsolatedScorer scorer, OnnxExportCache exports,
    TimeProvider time, IProgressNotifier live)
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
        var progress = new Domain.Common.ThrottledProgress(time, ProgressInterval, fraction => SaveProgressAsync(evaluationId, fraction));
        return await scorer.ScoreAsync(new ScoreRequest(model.Flavor, model.ArtifactSha256, input, run.Task, run.Threshold, exports.Folder,
            run.ImportanceRepeats is { } repeats ? new ImportanceOptions(repeats, run.ImportanceSeed ?? 0) : null), progress, ct);
    }

    private async Task SaveProgressAsync(Guid evaluationId, double fraction)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.EvaluationRuns.Where(e => e.Id == evaluationId && e.Status == EvaluationStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Progress, Math.Round(fraction, 4)));
        live.Changed(LiveSubject.Evaluation(evaluationId));
    }
}
