using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Workers.Tests.Governance;

/// <summary>Requests expire after the policy's time, on read and through the sweep, with the clock under the test's control.</summary>
public sealed class PromotionExpiryTests
{
    [Fact]
    public async Task A_request_expires_after_the_policy_time_and_the_sweep_closes_the_ones_nobody_looked_at()
    {
        await using var host = await GovernanceHost.StartAsync();
        var read = await host.ModelWithVersionAsync();
        var swept = await host.ModelWithVersionAsync();
        var promotions = host.As<Promotions>(GovernanceHost.Scientist);
        var first = await promotions.RequestAsync(new PromotionRequestInput(read, 1, new PromotionTarget(LifecycleStage.Production), "ready"));
        var second = await promotions.RequestAsync(new PromotionRequestInput(swept, 1, new PromotionTarget(LifecycleStage.Production), "ready"));
        Assert.Equal(first.RequestedAt.AddHours(PolicyRules.Default.ExpiryHours), first.ExpiresAt);

        host.Time.Advance(TimeSpan.FromHours(PolicyRules.Default.ExpiryHours) - TimeSpan.FromSeconds(1));
        Assert.Equal(PromotionStatus.Pending, (await host.As<Promotions>(GovernanceHost.Scientist).GetAsync(first.Id)).Status);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await host.As<Promotions>(GovernanceHost.Scientist).GetAsync(first.Id);
        Assert.Equal(PromotionStatus.Expired, expired.Status);
        Assert.Contains("expired", expired.StatusReason);

        Assert.Equal(1, await host.As<Promotions>(Actor.System("sweep")).SweepAsync());
        Assert.Equal(PromotionStatus.Expired, (await host.As<Promotions>(GovernanceHost.Scientist).GetAsync(second.Id)).Status);
        Assert.Equal(0, await host.As<Promotions>(Actor.System("sweep")).SweepAsync());
        await Assert.ThrowsAsync<ForbiddenException>(() => host.As<Promotions>(GovernanceHost.Scientist).SweepAsync());
    }
}
