using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Training;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// Runs one training. Keyed by the run id: a run that succeeded or was cancelled is not run again, a retry reuses the
/// version it may already have registered. Bad input fails once with the reason; other faults are retried. The fit
/// runs in a child process (<see cref="IsolatedTrainer"/>): a cancel request is noticed within a second and kills it,
/// and so do the time and memory limits.
/// </summary>
public sealed class TrainingJob(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    TrainingExecutor executor,
    ITrainingPromotionHook promotion,
    TimeProvider time,
    ILogger<TrainingJob> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        if (!await StartAsync(runId, ct))
            return;

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watcher = WatchForCancelAsync(runId, cancel);
        var reporter = new Progress<TrainingProgress>(p => _ = SaveProgressAsync(runId, p));
        TrainingOutcome outcome;
        try
        {
            outcome = await executor.ExecuteAsync(runId, new Throttled(time, reporter), cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await FinishAsync(runId, r => { r.Status = TrainingRunStatus.Cancelled; r.Error = "Cancelled on request."; }, "trainingRun.cancelled");
            return;
        }
        catch (TrainingStoppedException e) // past a limit: ends at once, no retry
        {
            await FinishAsync(runId, r => { r.Status = e.Status; r.Error = Clip(e.Message); },
                e.Status == TrainingRunStatus.TimedOut ? "trainingRun.timed_out" : "trainingRun.failed");
            return;
        }
        catch (DomainException e) // bad spec or data: fails once, no retry
        {
            await FinishAsync(runId, r => { r.Status = TrainingRunStatus.Failed; r.Error = Clip(e.Message); }, "trainingRun.failed");
            return;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await FinishAsync(runId, r => { r.Status = TrainingRunStatus.Failed; r.Error = Clip($"Unexpected error: {e.GetBaseException().Message}"); }, "trainingRun.failed");
            throw;
        }
        finally
        {
            await cancel.CancelAsync();
            await watcher;
        }
        JobUsageScope.Current.AddRows(outcome.TrainingRows + outcome.ValidationRows);
        var run = await FinishAsync(runId, r =>
        {
            r.Status = TrainingRunStatus.Succeeded;
            r.Metrics = System.Text.Json.JsonSerializer.Serialize(outcome.Metrics);
            r.ModelVersionId = outcome.ModelVersionId;
            r.TrainingRows = outcome.TrainingRows;
            r.ValidationRows = outcome.ValidationRows;
            (r.OnnxExport, r.OnnxMessage, r.OnnxSha256) = (outcome.OnnxExport, outcome.OnnxMessage is null ? null : Clip(outcome.OnnxMessage), outcome.OnnxSha256);
            (r.EvaluationId, r.BaselineEvaluationId) = (outcome.EvaluationId, outcome.BaselineEvaluationId);
            r.TrainingMs = outcome.TrainingMs;
            r.Error = outcome.Note is null ? null : Clip(outcome.Note);
            (r.Progress, r.Phase) = (1, "done");
        }, "trainingRun.succeeded");
        await OpenPromotionRequestAsync(run, outcome, ct);
    }

    /// <summary>
    /// Where a promotion request is opened for the new version once governance exists (see <see cref="ITrainingPromotionHook"/>).
    /// A failure here never undoes the training.
    /// </summary>
    private async Task OpenPromotionRequestAsync(TrainingRun run, TrainingOutcome outcome, CancellationToken ct)
    {
        try
        {
            await promotion.OpenPromotionRequestAsync(new TrainingCandidate(run.Id, run.SpecId, run.Spec!.Model!.Name, outcome.ModelVersion,
                outcome.EvaluationId, outcome.BaselineEvaluationId, null), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Training run {RunId}: the promotion hook failed", run.Id);
        }
    }

    /// <summary>Marks the run Running with its data version; false when there is nothing to do.</summary>
    private async Task<bool> StartAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.Include(r => r.Spec).SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || run.Status is TrainingRunStatus.Succeeded or TrainingRunStatus.Cancelled or TrainingRunStatus.TimedOut)
        {
            logger.LogInformation("Training run {RunId} is gone or already ended; nothing to do", runId);
            return false;
        }
        var spec = run.Spec!;
        if (run.CancelRequested)
        {
            run.Status = TrainingRunStatus.Cancelled;
            run.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
            using (AuditAmbient.BeginAction("trainingRun.cancelled", "trainingRun", run.Id.ToString()))
                await db.SaveChangesAsync(ct);
            return false;
        }
        // A named dataset trains on its newest version as of now; the run remembers which one and the spec it used.
        run.DatasetVersionId = spec.TrainingDatasetVersionId
            ?? await db.DatasetVersions.Where(v => v.DatasetId == spec.TrainingDatasetId).OrderByDescending(v => v.Number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        run.SpecHash = spec.Hash;
        run.Status = TrainingRunStatus.Running;
        run.StartedAtUtc = time.GetUtcNow().UtcDateTime;
        (run.Progress, run.Phase, run.Error, run.Machine) = (0, "queued", null, Environment.MachineName);
        if (run.DatasetVersionId is null)
            (run.Status, run.Error, run.CompletedAtUtc) = (TrainingRunStatus.Failed, "The training dataset has no versions yet.", run.StartedAtUtc);
        run.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction(run.Status == TrainingRunStatus.Failed ? "trainingRun.failed" : "trainingRun.started", "trainingRun", run.Id.ToString(), run.Error))
            await db.SaveChangesAsync(ct);
        return run.Status == TrainingRunStatus.Running;
    }

    private async Task WatchForCancelAsync(Guid runId, CancellationTokenSource cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(PollInterval, time, cancel.Token);
                await using var db = await contexts.CreateDbContextAsync(cancel.Token);
                if (await db.TrainingRuns.AnyAsync(r => r.Id == runId && r.CancelRequested, cancel.Token))
                    await cancel.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // the run ended or was cancelled
        }
    }

    /// <summary>
    /// Progress ticks are transient (not audited) and take one bulk update; a new phase is a change of the record and
    /// goes through the audited save, since ExecuteUpdate bypasses audit capture.
    /// </summary>
    internal async Task SaveProgressAsync(Guid runId, TrainingProgress progress)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            var running = db.TrainingRuns.Where(r => r.Id == runId && r.Status == TrainingRunStatus.Running);
            var fraction = Math.Round(progress.Fraction, 4);
            if (await running.Where(r => r.Phase == progress.Phase).ExecuteUpdateAsync(s => s.SetProperty(r => r.Progress, fraction)) > 0)
                return;
            if (await running.SingleOrDefaultAsync() is not { } run)
                return;
            (run.Phase, run.Progress) = (progress.Phase, fraction);
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            // progress is advisory; the final status is saved separately
        }
    }

    private async Task<TrainingRun> FinishAsync(Guid runId, Action<TrainingRun> apply, string action)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var run = await db.TrainingRuns.Include(r => r.Spec!).ThenInclude(s => s.Model).SingleAsync(r => r.Id == runId);
        apply(run);
        run.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        run.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction(action, "trainingRun", run.Id.ToString(), run.Error))
            await db.SaveChangesAsync();
        return run;
    }

    private static string Clip(string text) => text.Length > 4000 ? text[..4000] : text;

    /// <summary>At most one progress report a second reaches the database; phase changes always do.</summary>
    private sealed class Throttled(TimeProvider time, IProgress<TrainingProgress> inner) : IProgress<TrainingProgress>
    {
        private long _last = long.MinValue;
        private string? _phase;

        public void Report(TrainingProgress value)
        {
            var now = time.GetTimestamp();
            if (value.Phase == _phase && _last != long.MinValue && time.GetElapsedTime(_last, now) < PollInterval)
                return;
            (_last, _phase) = (now, value.Phase);
            inner.Report(value);
        }
    }
}
