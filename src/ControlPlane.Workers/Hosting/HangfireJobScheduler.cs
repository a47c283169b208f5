using ControlPlane.Domain.Jobs;
using ControlPlane.Workers.Jobs;
using Hangfire;

namespace ControlPlane.Workers.Hosting;

internal sealed class HangfireJobScheduler(IBackgroundJobClient jobs, IRecurringJobManager recurring) : IJobScheduler
{
    public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) =>
        jobs.Enqueue<WorkerSelfTestJob>(queue, job => job.RunAsync(selfTestId, CancellationToken.None));

    public string EnqueueDatasetProfile(Guid versionId, Guid runId) =>
        jobs.Enqueue<DatasetProfileJob>(JobQueues.Default, job => job.RunAsync(versionId, runId, CancellationToken.None));

    public string EnqueueEvaluation(Guid evaluationId) =>
        jobs.Enqueue<EvaluationJob>(JobQueues.Gpu, job => job.RunAsync(evaluationId, CancellationToken.None));

    public string EnqueueDriftRun(Guid runId) =>
        jobs.Enqueue<DriftRunJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None));

    public void ScheduleDriftMonitor(Guid monitorId, string cron, TimeZoneInfo timeZone) =>
        recurring.AddOrUpdate<DriftScheduleJob>(DriftScheduleJob.RecurringId(monitorId), JobQueues.Default,
            job => job.RunAsync(monitorId, CancellationToken.None), cron, new RecurringJobOptions { TimeZone = timeZone });

    public void UnscheduleDriftMonitor(Guid monitorId) => recurring.RemoveIfExists(DriftScheduleJob.RecurringId(monitorId));

    public string EnqueueTraining(Guid runId) =>
        jobs.Enqueue<TrainingJob>(JobQueues.Default, job => job.RunAsync(runId, CancellationToken.None));

    public void ScheduleTrainingSpec(Guid specId, string cron, TimeZoneInfo timeZone) =>
        recurring.AddOrUpdate<TrainingScheduleJob>(TrainingScheduleJob.RecurringId(specId), JobQueues.Default,
            job => job.RunAsync(specId, CancellationToken.None), cron, new RecurringJobOptions { TimeZone = timeZone });

    public void UnscheduleTrainingSpec(Guid specId) => recurring.RemoveIfExists(TrainingScheduleJob.RecurringId(specId));

    public string EnqueueWebhookDelivery(Guid deliveryId) =>
        jobs.Enqueue<WebhookDeliveryJob>(JobQueues.Default, job => job.DeliverAsync(deliveryId, CancellationToken.None));
}
