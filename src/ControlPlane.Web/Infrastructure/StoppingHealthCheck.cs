using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Web.Infrastructure;

/// <summary>Not ready once the process is stopping, so a load balancer sends new requests to the other instances.</summary>
public sealed class StoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("This instance is shutting down.")
            : HealthCheckResult.Healthy());
}
