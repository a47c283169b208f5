using ControlPlane.Domain.Jobs;
using Hangfire;

namespace ControlPlane.Workers.Hosting;

/// <summary>Job system figures from Hangfire's monitoring API (two cheap reads of the shared storage).</summary>
public sealed class HangfireJobMonitor(JobStorage storage) : IJobMonitor
{
    public JobSystemStatus? Read()
    {
        var api = storage.GetMonitoringApi();
        var stats = api.GetStatistics();
        var queues = api.Queues().Select(q => new QueueStatus(q.Name, q.Length)).ToDictionary(q => q.Name);
        // Queues without jobs are not listed by every storage; show each queue this system uses.
        foreach (var name in JobQueues.All)
            queues.TryAdd(name, new QueueStatus(name, 0));
        return new JobSystemStatus((int)stats.Servers, [.. queues.Values.OrderBy(q => q.Name, StringComparer.Ordinal)], stats.Processing, stats.Scheduled, stats.Failed, stats.Succeeded);
    }
}
