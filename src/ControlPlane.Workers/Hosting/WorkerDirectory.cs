using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using Hangfire;
using Hangfire.Common;

namespace ControlPlane.Workers.Hosting;

public sealed record WorkerServerInfo(string Name, IReadOnlyList<string> Queues, int WorkerCount, DateTime StartedAt, DateTime? LastHeartbeat, int BusyWorkers = 0);

/// <summary>A queue's load; processing and failed counts look at the most recent <see cref="WorkerDirectory.LoadWindow"/> jobs of each state.</summary>
public sealed record QueueLoad(string Name, long Enqueued, long Fetched, int Processing, int Failed);

/// <summary>The job servers that are alive according to the shared Hangfire storage, and the load on each queue (Admin only).</summary>
public sealed class WorkerDirectory(JobStorage storage, IActorContext actor)
{
    public const int LoadWindow = 1000;

    public IReadOnlyList<WorkerServerInfo> ListServers()
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var monitoring = storage.GetMonitoringApi();
        var busy = monitoring.ProcessingJobs(0, LoadWindow).GroupBy(j => j.Value.ServerId ?? "").ToDictionary(g => g.Key, g => g.Count());
        return monitoring.Servers()
            .Select(s => new WorkerServerInfo(
                s.Name, s.Queues.ToList(), s.WorkersCount,
                DateTime.SpecifyKind(s.StartedAt, DateTimeKind.Utc),
                s.Heartbeat is { } beat ? DateTime.SpecifyKind(beat, DateTimeKind.Utc) : null,
                busy.GetValueOrDefault(s.Name)))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<QueueLoad> ListQueues()
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var monitoring = storage.GetMonitoringApi();
        var processing = monitoring.ProcessingJobs(0, LoadWindow).GroupBy(j => QueueOf(j.Value.Job)).ToDictionary(g => g.Key, g => g.Count());
        var failed = monitoring.FailedJobs(0, LoadWindow).GroupBy(j => QueueOf(j.Value.Job)).ToDictionary(g => g.Key, g => g.Count());
        return JobQueues.All.Select(q => new QueueLoad(q, monitoring.EnqueuedCount(q), monitoring.FetchedCount(q),
            processing.GetValueOrDefault(q), failed.GetValueOrDefault(q))).ToList();
    }

    // Hangfire 1.8 keeps the queue a job was created for on the job itself; older jobs went to the default queue.
    private static string QueueOf(Job? job) => job?.Queue ?? JobQueues.Default;
}
