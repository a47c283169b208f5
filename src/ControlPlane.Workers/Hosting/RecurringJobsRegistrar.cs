using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Jobs;
using ControlPlane.Workers.Jobs;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Hosting;

/// <summary>Registers the built-in recurring jobs under stable ids when a job server starts.</summary>
internal sealed class RecurringJobsRegistrar(IRecurringJobManager recurring, IOptions<AuditOptions> audit) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<AuditDigestJob>(AuditDigestJob.RecurringJobId, JobQueues.Default,
            job => job.RunAsync(CancellationToken.None), audit.Value.DigestSchedule, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<PromotionSweepJob>(PromotionSweepJob.RecurringJobId, JobQueues.Default,
            job => job.RunAsync(CancellationToken.None), PromotionSweepJob.Schedule, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
