using ControlPlane.Domain.Datasets;
using Hangfire;

namespace ControlPlane.Workers.Jobs;

/// <summary>Profiles a big dataset version off the request path. Bad data fails once (recorded on the version); transient faults retry.</summary>
public sealed class DatasetProfileJob(DatasetProfiling profiling)
{
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(Guid versionId, Guid runId, CancellationToken ct) => profiling.RunAsync(versionId, runId, ct);
}
