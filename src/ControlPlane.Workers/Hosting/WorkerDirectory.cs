using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using Hangfire;

namespace ControlPlane.Workers.Hosting;

public sealed record WorkerServerInfo(string Name, IReadOnlyList<string> Queues, int WorkerCount, DateTime StartedAt, DateTime? LastHeartbeat);

/// <summary>The job servers that are alive according to the shared Hangfire storage (Admin only).</summary>
public sealed class WorkerDirectory(JobStorage storage, IActorContext actor)
{
    public IReadOnlyList<WorkerServerInfo> ListServers()
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        return storage.GetMonitoringApi().Servers()
            .Select(s => new WorkerServerInfo(
                s.Name, s.Queues.ToList(), s.WorkersCount,
                DateTime.SpecifyKind(s.StartedAt, DateTimeKind.Utc),
                s.Heartbeat is { } beat ? DateTime.SpecifyKind(beat, DateTimeKind.Utc) : null))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }
}
