using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Jobs;

/// <summary>The recurring sweep: closes pending promotion requests that expired or whose evidence no longer holds, so the inbox stays true.</summary>
public sealed class PromotionSweepJob(IServiceScopeFactory scopes)
{
    public const string RecurringJobId = Domain.Schedules.ScheduleId.PromotionSweep;
    public const string Schedule = Domain.Schedules.BuiltInSchedules.PromotionSweepCron;

    public async Task RunAsync(CancellationToken ct)
    {
        await using var scope = OperationScope.Begin(scopes, Actor.System("promotion-sweep"));
        await scope.ServiceProvider.GetRequiredService<Promotions>().SweepAsync(ct);
    }
}
