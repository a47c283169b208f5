using ControlPlane.Domain.Artifacts;

namespace ControlPlane.Workers.Jobs;

/// <summary>The recurring sweep of stored artifacts that no row references (see <see cref="ArtifactSweep"/>).</summary>
public sealed class ArtifactSweepJob(ArtifactSweep sweep)
{
    public const string RecurringJobId = Domain.Schedules.ScheduleId.ArtifactSweep;

    public Task RunAsync(CancellationToken ct) => sweep.RunAsync(ct);
}
