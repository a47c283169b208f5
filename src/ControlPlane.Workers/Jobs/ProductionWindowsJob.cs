using ControlPlane.Domain.Persistence;
using ControlPlane.Workers.Production;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// The windows job: recurring over every enabled production monitor, or on demand for one. Arguments are ids only;
/// a run finds its work from the stored windows' stamps, so running it twice changes nothing.
/// </summary>
public sealed class ProductionWindowsJob(IDbContextFactory<ControlPlaneDbContext> contexts, ProductionWindowsRunner runner, ILogger<ProductionWindowsJob> logger)
{
    public const string RecurringJobId = Domain.Schedules.ScheduleId.ProductionWindows;

    /// <summary>Every enabled monitor; one monitor's failure is logged and does not hold back the others (the next run retries it).</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        List<Guid> monitors;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            monitors = await db.ProductionMonitors.AsNoTracking().Where(m => m.Enabled).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        var failed = 0;
        foreach (var id in monitors)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var computed = await runner.RunAsync(id, ct);
                if (computed > 0)
                    logger.LogInformation("Production monitor {MonitorId}: {Windows} windows computed", id, computed);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failed++;
                logger.LogError(e, "Production monitor {MonitorId}: computing its windows failed", id);
            }
        }
        if (failed > 0)
            throw new InvalidOperationException($"Computing the windows of {failed} of {monitors.Count} production monitors failed; see the log.");
    }

    /// <summary>One monitor now ("compute now"); transient faults are retried.</summary>
    [AutomaticRetry(Attempts = 2)]
    public Task RunMonitorAsync(Guid monitorId, CancellationToken ct) => runner.RunAsync(monitorId, ct);
}
