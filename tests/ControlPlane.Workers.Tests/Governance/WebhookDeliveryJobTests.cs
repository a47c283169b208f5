using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Tests.Governance;

/// <summary>One delivery mechanism for every product event: signed with the subscription's secret, retried, every attempt logged.</summary>
public sealed class WebhookDeliveryJobTests
{
    [Fact]
    public async Task A_failed_delivery_is_logged_and_thrown_for_the_retry_which_then_delivers_the_same_signed_body()
    {
        await using var host = await GovernanceHost.StartAsync();
        using var receiver = new WebhookReceiver(503);
        const string secret = "subscription-secret";
        await host.As<WebhookSubscriptions>(GovernanceHost.Admin).CreateAsync(new WebhookSubscriptionRequest(receiver.Url, [WebhookEvents.PromotionApproved], secret));
        var contexts = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        Guid deliveryId;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var none = await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionRevoked, "t", "b", null, new { }, DateTime.UtcNow, default);
            Assert.Empty(none); // not subscribed to this event
            var deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionApproved, "Approved", "ok", "/promotions/1", new { id = 1 }, DateTime.UtcNow, default);
            deliveryId = Assert.Single(deliveries).Id;
            await db.SaveChangesAsync();
        }
        using var scope = host.Services.CreateScope();
        var job = ActivatorUtilities.CreateInstance<WebhookDeliveryJob>(scope.ServiceProvider);

        var attempt = job.DeliverAsync(deliveryId, CancellationToken.None);
        var first = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<WebhookDeliveryFailedException>(() => attempt);
        var retry = job.DeliverAsync(deliveryId, CancellationToken.None);
        var second = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        await retry;

        Assert.Equal(first.Body, second.Body);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(first.Body)));
        Assert.Equal((expected, expected), (first.Signature, second.Signature));
        Assert.Equal(WebhookEvents.PromotionApproved, second.Event);
        await using var check = await contexts.CreateDbContextAsync();
        var delivery = await check.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2, 200, (string?)null), (delivery.Status, delivery.Attempts, delivery.LastStatusCode, delivery.LastError));
        var retries = typeof(WebhookDeliveryJob).GetMethod(nameof(WebhookDeliveryJob.DeliverAsync))!.GetCustomAttributes(typeof(AutomaticRetryAttribute), false).Cast<AutomaticRetryAttribute>().Single();
        Assert.Equal(WebhookDeliveryJob.MaxAttempts - 1, retries.Attempts);
    }
}
