using ControlPlane.Domain.Artifacts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Workers.Hosting;

/// <summary>
/// Whether the artifact store can be used (a directory that can be written, a blob service that answers and takes the
/// credentials). A store that cannot is <c>Degraded</c>, not unready: every instance shares it, so taking them all out
/// of the load balancer would turn failing uploads and downloads into an outage of reads, reviews and signatures too.
/// <c>/health/ready</c> still answers 200, with "Degraded" for monitoring to alert on; the reason names the store,
/// never its key.
/// </summary>
internal sealed class ArtifactStoreHealthCheck(IArtifactStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (ArtifactStoreUnavailableException e)
        {
            return HealthCheckResult.Degraded(e.Message);
        }
    }
}
