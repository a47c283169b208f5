using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Webhooks;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Telemetry;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Drift;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// Runs one drift comparison and raises its alerts in the same save. Keyed by the run id: a finished run is not
/// run again; bad data fails once with the reason; other faults are retried.
/// </summary>
public sealed class DriftRunJob(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    DriftRunner runner,
    DriftAlerts alerts,
    IJobScheduler jobs,
    TrainingService training,
    TimeProvider time,
    IProgressNotifier live,
    ILogger<DriftRunJob> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        DriftRun run;
        DriftMonitor monitor;
        DatasetVersion reference, current;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            run = await db.DriftRuns.SingleOrDefaultAsync(r => r.Id == runId, ct) ?? throw new InvalidOperationException($"Drift run {runId} is gone.");
            if (run.Status == DriftRunStatus.Succeeded)
            {
                logger.LogInformation("Drift run {RunId} already finished; nothing to do", runId);
                return;
            }
            monitor = await db.DriftMonitors.AsNoTracking().SingleAsync(m => m.Id == run.MonitorId, ct);
            reference = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == run.ReferenceDatasetVersionId, ct);
            // A monitor on a named dataset compares its newest version as of now; the run remembers which one.
            current = run.CurrentDatasetVersionId is { } fixedId
                ? await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == fixedId, ct)
                : await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == monitor.CurrentDatasetId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
                    ?? throw new DataFormatException("The monitor's current dataset has no versions yet.");
            run.CurrentDatasetVersionId = current.Id;
            run.Status = DriftRunStatus.Running;
            run.StartedAtUtc = time.GetUtcNow().UtcDateTime;
            run.Error = null;
            using (AuditAmbient.BeginAction("driftRun.started", "driftRun", run.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        Publish(run.Id, run.MonitorId);
        JobUsageScope.Current.AddRows(current.RowCount);

        try
        {
            var progress = new ThrottledProgress(time, ProgressInterval, f => SaveProgressAsync(runId, run.MonitorId, f));
            var (result, milliseconds) = await ControlPlaneTelemetry.DriftRunDuration.MeasureAsync("drift comparison",
                () => runner.CompareAsync(reference, current, DriftMonitorSettings.FromJson(monitor.Settings), progress, ct));
            await FinishAsync(runId, (db, r, m) =>
            {
                r.Status = DriftRunStatus.Succeeded;
                r.DatasetDrift = result.DatasetDrift;
                r.DriftShare = result.DriftShare;
                r.DriftedColumns = result.Columns.Count(c => c.Drifted);
                r.Results = JsonSerializer.Serialize(result, DriftRunner.Json);
                r.DurationMs = milliseconds;
                r.Progress = 1;
                m.LastRunId = r.Id;
                m.LastRunAtUtc = time.GetUtcNow().UtcDateTime;
                m.LastRunDrifted = result.DatasetDrift;
                return alerts.Raise(db, m, r, result);
            }, "driftRun.succeeded", ct);
            if (result.DatasetDrift)
                await StartTrainingAsync(monitor.Id, ct);
        }
        catch (Exception e) when (e is DomainException or ArgumentException) // bad data or settings: fails once, no retry
        {
            await FinishAsync(runId, (_, r, _) => { r.Status = DriftRunStatus.Failed; r.Error = e.Message; return null; }, "driftRun.failed", CancellationToken.None);
        }
        catch (Exception e) when (!ct.IsCancellationRequested) // a stopping worker gives the job back to the queue as it is
        {
            await FinishAsync(runId, (_, r, _) => { r.Status = DriftRunStatus.Failed; r.Error = $"Unexpected error: {e.GetBaseException().Message}"; return null; },
                "driftRun.failed", CancellationToken.None);
            throw;
        }
    }

    /// <summary>Specs linked to the monitor retrain on dataset drift (each at most once per its cool-down); a failure here never fails the drift run.</summary>
    private async Task StartTrainingAsync(Guid monitorId, CancellationToken ct)
    {
        try
        {
            foreach (var started in await training.StartForDriftAsync(monitorId, ct))
                logger.LogInformation("Dataset drift on monitor {MonitorId} started training run {RunId}", monitorId, started.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Dataset drift on monitor {MonitorId}: starting the linked training failed", monitorId);
        }
    }

    private async Task SaveProgressAsync(Guid runId, Guid monitorId, double fraction)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.DriftRuns.Where(r => r.Id == runId && r.Status == DriftRunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Progress, Math.Round(fraction, 4)));
        Publish(runId, monitorId);
    }

    private void Publish(Guid runId, Guid monitorId)
    {
        live.Changed(LiveSubject.DriftRun(runId));
        live.Changed(LiveSubject.DriftMonitor(monitorId));
    }

    /// <summary>Saves the outcome (and any alert) in one transaction, then queues the webhook it created.</summary>
    private async Task FinishAsync(Guid runId, Func<ControlPlaneDbContext, DriftRun, DriftMonitor, WebhookDelivery?> apply, string action, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.DriftRuns.SingleAsync(r => r.Id == runId, ct);
        var monitor = await db.DriftMonitors.SingleAsync(m => m.Id == run.MonitorId, ct);
        var delivery = apply(db, run, monitor);
        run.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        using (AuditAmbient.BeginAction(action, "driftRun", run.Id.ToString(), run.Error))
            await db.SaveChangesAsync(ct);
        Publish(run.Id, monitor.Id);
        live.Changed(LiveSubject.Notifications);
        if (delivery is not null)
            jobs.EnqueueWebhookDelivery(delivery.Id);
    }
}
