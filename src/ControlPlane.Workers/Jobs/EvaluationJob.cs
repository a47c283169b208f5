using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Telemetry;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// Runs one evaluation. Keyed by the run id: a repeat of a finished run does nothing, a retry overwrites the same
/// row. Bad input (model, columns, labels) fails once with the reason; other faults are retried by Hangfire.
/// </summary>
public sealed class EvaluationJob(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    EvaluationExecutor executor,
    ITrainingPromotionHook promotion,
    TimeProvider time,
    IProgressNotifier live,
    ILogger<EvaluationJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid evaluationId, CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var run = await db.EvaluationRuns.SingleOrDefaultAsync(e => e.Id == evaluationId, ct);
            if (run is null || run.Status == EvaluationStatus.Succeeded)
            {
                logger.LogInformation("Evaluation {EvaluationId} is gone or already done; nothing to do", evaluationId);
                return;
            }
            run.Status = EvaluationStatus.Running;
            run.StartedAtUtc = time.GetUtcNow().UtcDateTime;
            run.Progress = 0;
            run.Error = null;
            using (AuditAmbient.BeginAction("evaluation.started", "evaluationRun", run.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        live.Changed(LiveSubject.Evaluation(evaluationId));

        EvaluationOutcome outcome;
        try
        {
            outcome = await ControlPlaneTelemetry.EvaluationDuration.MeasureAsync("evaluation", () => executor.ExecuteAsync(evaluationId, ct));
        }
        catch (DomainException e) // bad input of any kind (model, columns, labels, file): fails once, no retry
        {
            await FinishAsync(evaluationId, run => { run.Status = EvaluationStatus.Failed; run.Error = e.Message; }, "evaluation.failed", CancellationToken.None);
            return;
        }
        catch (Exception e) when (!ct.IsCancellationRequested) // a stopping worker gives the job back to the queue as it is
        {
            await FinishAsync(evaluationId, run => { run.Status = EvaluationStatus.Failed; run.Error = $"Unexpected error: {e.GetBaseException().Message}"; },
                "evaluation.failed", CancellationToken.None);
            throw;
        }
        await FinishAsync(evaluationId, run =>
        {
            run.Status = EvaluationStatus.Succeeded;
            run.Task = outcome.Task;
            run.Metrics = outcome.MetricsJson;
            run.Details = outcome.DetailsJson;
            run.Provenance = outcome.ProvenanceJson;
            run.Progress = 1;
        }, "evaluation.succeeded", ct);
        try
        {
            await promotion.EvaluationFinishedAsync(evaluationId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Putting a trained version forward is a courtesy; it never fails the evaluation.
            logger.LogWarning(e, "Evaluation {EvaluationId}: the promotion hook failed", evaluationId);
        }
    }

    private async Task FinishAsync(Guid evaluationId, Action<EvaluationRun> apply, string action, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.EvaluationRuns.SingleAsync(e => e.Id == evaluationId, ct);
        apply(run);
        run.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        run.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction(action, "evaluationRun", run.Id.ToString(), run.Error))
            await db.SaveChangesAsync(ct);
        live.Changed(LiveSubject.Evaluation(evaluationId));
    }
}
