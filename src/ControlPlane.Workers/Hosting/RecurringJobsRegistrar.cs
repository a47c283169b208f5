using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Workers.Hosting;

/// <summary>
/// Registers the built-in recurring jobs under stable ids when a job server starts, with the cron, time zone, pause and
/// misfire policy an admin set on the schedules page (the configured defaults until then). Runs after the migrator.
/// </summary>
internal sealed class RecurringJobsRegistrar(IDbContextFactory<ControlPlaneDbContext> contexts, IRecurringJobStore recurring, BuiltInSchedules builtIns) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var settings = await db.ScheduleSettings.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        foreach (var id in ScheduleId.BuiltIns)
        {
            var setting = settings.GetValueOrDefault(id.ToString());
            if (setting?.Paused == true)
                recurring.Remove(id);
            else
                recurring.AddOrUpdate(id, setting?.Cron ?? builtIns.DefaultCron(id), ScheduleRules.TimeZone(setting?.TimeZone), setting?.Misfire ?? MisfirePolicy.RunOnce);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
