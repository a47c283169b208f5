using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Workers.Hosting;

/// <summary>Ready only when the job storage answers a query.</summary>
internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers().Count;
            return Task.FromResult(HealthCheckResult.Healthy($"{servers} job server(s) registered."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage is not reachable.", ex));
        }
    }
}
