namespace ControlPlane.Domain.Jobs;

/// <summary>What the domain needs from the job system; Workers implements it on Hangfire.</summary>
public interface IJobScheduler
{
    /// <summary>Queues a worker self-test on the named queue and returns the job id.</summary>
    string EnqueueWorkerSelfTest(Guid selfTestId, string queue);

    /// <summary>Queues the profile computation <paramref name="runId"/> of a dataset version and returns the job id.</summary>
    string EnqueueDatasetProfile(Guid versionId, Guid runId);

    /// <summary>Queues an evaluation on the gpu queue (workers without a GPU that listen to it run it on CPU) and returns the job id.</summary>
    string EnqueueEvaluation(Guid evaluationId);

    /// <summary>Queues a drift run and returns the job id.</summary>
    string EnqueueDriftRun(Guid runId);

    /// <summary>Creates or replaces the recurring job of a monitor (stable id); throws <see cref="ArgumentException"/> on a bad cron expression.</summary>
    void ScheduleDriftMonitor(Guid monitorId, string cron, TimeZoneInfo timeZone);

    /// <summary>Removes the recurring job of a monitor, if any.</summary>
    void UnscheduleDriftMonitor(Guid monitorId);

    /// <summary>Queues a training run and returns the job id.</summary>
    string EnqueueTraining(Guid runId);

    /// <summary>Creates or replaces the recurring job of a training spec (stable id <c>training-spec:{id}</c>); throws <see cref="ArgumentException"/> on a bad cron expression.</summary>
    void ScheduleTrainingSpec(Guid specId, string cron, TimeZoneInfo timeZone);

    /// <summary>Removes the recurring job of a training spec, if any.</summary>
    void UnscheduleTrainingSpec(Guid specId);

    /// <summary>Queues the windows job of one production monitor (due windows and late data, as the recurring run does) and returns the job id.</summary>
    string EnqueueProductionWindows(Guid monitorId);

    /// <summary>Queues a champion/challenger comparison and returns the job id.</summary>
    string EnqueueChallengerComparison(Guid comparisonId);

    /// <summary>Queues delivery of a webhook (retried by the job system) and returns the job id.</summary>
    string EnqueueWebhookDelivery(Guid deliveryId);
}

public static class JobSchedulerExtensions
{
    /// <summary>Queues the deliveries a unit of work created, after it committed.</summary>
    public static void EnqueueAll(this IJobScheduler jobs, IEnumerable<Webhooks.WebhookDelivery> deliveries)
    {
        foreach (var delivery in deliveries)
            jobs.EnqueueWebhookDelivery(delivery.Id);
    }
}

public static class JobQueues
{
    public const string Default = "default";
    public const string Gpu = "gpu";

    public static IReadOnlyList<string> All { get; } = [Gpu, Default];
}
