using ControlPlane.Domain.Jobs;

namespace ControlPlane.TestSupport;

/// <summary>Domain-only hosts have no job system; anything that would queue a job fails loudly (those paths are tested with Hangfire in Workers and Web tests).</summary>
internal sealed class NoJobSystem : IJobScheduler
{
    public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) => throw new NotSupportedException("This host has no job system.");

    public string EnqueueDatasetProfile(Guid versionId, Guid runId) => throw new NotSupportedException("This host has no job system.");

    public string EnqueueEvaluation(Guid evaluationId) => throw new NotSupportedException("This host has no job system.");

    public string EnqueueDriftRun(Guid runId) => throw new NotSupportedException("This host has no job system.");

    public void ScheduleDriftMonitor(Guid monitorId, string cron, TimeZoneInfo timeZone) => throw new NotSupportedException("This host has no job system.");

    public void UnscheduleDriftMonitor(Guid monitorId) { } // nothing is ever scheduled here

    public string EnqueueTraining(Guid runId) => throw new NotSupportedException("This host has no job system.");

    public void ScheduleTrainingSpec(Guid specId, string cron, TimeZoneInfo timeZone) => throw new NotSupportedException("This host has no job system.");

    public void UnscheduleTrainingSpec(Guid specId) { } // nothing is ever scheduled here

    public string EnqueueProductionWindows(Guid monitorId) => throw new NotSupportedException("This host has no job system.");

    public string EnqueueChallengerComparison(Guid comparisonId) => throw new NotSupportedException("This host has no job system.");

    public string EnqueueWebhookDelivery(Guid deliveryId) => throw new NotSupportedException("This host has no job system.");
}
