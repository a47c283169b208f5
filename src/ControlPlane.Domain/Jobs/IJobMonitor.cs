namespace ControlPlane.Domain.Jobs;

public sealed record QueueStatus(string Name, long Enqueued);

public sealed record JobSystemStatus(int Servers, IReadOnlyList<QueueStatus> Queues, long Processing, long Scheduled, long Failed, long Succeeded);

/// <summary>What the dashboard shows of the job system; Workers reads it from Hangfire's monitoring API.</summary>
public interface IJobMonitor
{
    /// <returns>Null where this process has no job storage to ask.</returns>
    JobSystemStatus? Read();
}

internal sealed class NoJobMonitor : IJobMonitor
{
    public JobSystemStatus? Read() => null;
}
