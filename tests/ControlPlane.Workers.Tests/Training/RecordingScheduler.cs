using System.Collections.Concurrent;
using ControlPlane.Domain.Jobs;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>A job system that only remembers what was asked of it.</summary>
internal sealed class RecordingScheduler : IJobScheduler
{
    public ConcurrentQueue<Guid> Trainings { get; } = new();
    public ConcurrentDictionary<Guid, (string Cron, TimeZoneInfo Zone)> Schedules { get; } = new();

    public string EnqueueTraining(Guid runId)
    {
        Trainings.Enqueue(runId);
        return $"job-{runId}";
    }

    public void ScheduleTrainingSpec(Guid specId, string cron, TimeZoneInfo timeZone)
    {
        if (cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
            throw new ArgumentException("A cron expression has five or six fields.", nameof(cron));
        Schedules[specId] = (cron, timeZone);
    }

    public void UnscheduleTrainingSpec(Guid specId) => Schedules.TryRemove(specId, out _);

    public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) => throw new NotSupportedException();
    public string EnqueueDatasetProfile(Guid versionId, Guid runId) => throw new NotSupportedException();
    public string EnqueueEvaluation(Guid evaluationId) => throw new NotSupportedException();
    public string EnqueueDriftRun(Guid runId) => throw new NotSupportedException();
    public void ScheduleDriftMonitor(Guid monitorId, string cron, TimeZoneInfo timeZone) => throw new NotSupportedException();
    public void UnscheduleDriftMonitor(Guid monitorId) { }
    public ConcurrentQueue<Guid> ProductionWindows { get; } = new();
    public ConcurrentQueue<Guid> Comparisons { get; } = new();
    public ConcurrentQueue<Guid> WebhookDeliveries { get; } = new();

    public string EnqueueChallengerComparison(Guid comparisonId)
    {
        Comparisons.Enqueue(comparisonId);
        return $"job-{comparisonId}";
    }

    public string EnqueueProductionWindows(Guid monitorId)
    {
        ProductionWindows.Enqueue(monitorId);
        return $"job-{monitorId}";
    }

    public string EnqueueWebhookDelivery(Guid deliveryId)
    {
        WebhookDeliveries.Enqueue(deliveryId);
        return $"job-{deliveryId}";
    }
}
