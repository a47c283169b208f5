using ControlPlane.Domain.Governance;

namespace ControlPlane.Workers.Jobs;

/// <summary>The recurring sweep: closes pending promotion requests that expired or whose evidence no longer holds, so the inbox stays true.</summary>
public sealed class PromotionSweepJob(Promotions promotions)
{
    public const string RecurringJobId = "promotion-sweep";
    public const string Schedule = "*/15 * * * *";

    public Task RunAsync(CancellationToken ct) => promotions.SweepAsync(ct);
}
