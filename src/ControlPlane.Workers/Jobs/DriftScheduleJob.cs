using ControlPlane.Domain.Drift;

namespace ControlPlane.Workers.Jobs;

/// <summary>The recurring job of a monitor (id <c>drift-monitor:{id}</c>): queues a run unless the monitor was disabled.</summary>
public sealed class DriftScheduleJob(DriftMonitors monitors)
{
    public static string RecurringId(Guid monitorId) => $"drift-monitor:{monitorId}";

    public Task RunAsync(Guid monitorId, CancellationToken ct) => monitors.RunScheduledAsync(monitorId, ct);
}
