using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Schedules;
using ControlPlane.Workers.Jobs;
using Hangfire;

namespace ControlPlane.Workers.Hosting;

internal sealed class HangfireJobScheduler(IBackgroundJobClient jobs, HangfireRecurringJobStore recurring) : IJobScheduler
{
    public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) =>
        jobs.Enqueue<WorkerSelfTestJob>(queue, job => job.RunAsync(selfTestId, CancellationToken.None));

    public string EnqueueDatasetProfile(Guid versionId, Guid runId) =>
        jobs.Enqueue<DatasetProfileJob>(JobQueues.Default, job => job.RunAsync(versionId, runId, CancellationToken.None));

    public string EnqueueEvaluation(Guid evaluationId) =>
        jobs.Enqueue<EvaluationJob>(JobQueues.Gpu, job => job.RunAsync(evaluationId, CancellationToken.None));

    public string EnqueueDriftRun(Guid runId) =>
        jobs.Enqueue<DriftRunJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None));

    public void ScheduleDriftMonitor(Guid monitorId, string cron, TimeZoneInfo timeZone) => Schedule(ScheduleId.ForMonitor(monitorId), cron, timeZone);

    public void UnscheduleDriftMonitor(Guid monitorId) => recurring.Remove(ScheduleId.ForMonitor(monitorId));

    public string EnqueueTraining(Guid runId) =>
        jobs.Enqueue<TrainingJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None));

    public void ScheduleTrainingSpec(Guid specId, string cron, TimeZoneInfo timeZone) => Schedule(ScheduleId.ForSpec(specId), cron, timeZone);

    public void UnscheduleTrainingSpec(Guid specId) => recurring.Remove(ScheduleId.ForSpec(specId));

    public string EnqueueProductionWindows(Guid monitorId) =>
        jobs.Enqueue<ProductionWindowsJob>(JobQueues.Default, job => job.RunMonitorAsync(monitorId, CancellationToken.None));

    public string EnqueueChallengerComparison(Guid comparisonId) =>
        jobs.Enqueue<ChallengerComparisonJob>(JobQueues.Default, job => job.RunAsync(comparisonId, CancellationToken.None));

    public string EnqueueWebhookDelivery(Guid deliveryId) =>
        jobs.Enqueue<WebhookDeliveryJob>(JobQueues.Default, job => job.DeliverAsync(deliveryId, CancellationToken.None));

    // Editing a monitor or spec keeps the misfire policy an admin chose on the schedules page.
    private void Schedule(ScheduleId id, string cron, TimeZoneInfo timeZone) =>
        recurring.AddOrUpdate(id, cron, timeZone, recurring.CurrentMisfire(id) ?? MisfirePolicy.RunOnce);
}
