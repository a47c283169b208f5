using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Jobs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Governance;

/// <summary>
/// Security review §3 at the moment of connecting: a name that resolves to an internal address is refused by the socket,
/// whatever was checked when the URL was saved; the delivery fails once, without retries, and the receiver gets nothing.
/// </summary>
public sealed class WebhookConnectionTests
{
    private static HttpClient Client(params string[] allowed) =>
        new(WebhookConnections.Handler(new WebhookAddresses(Options.Create(new WebhookNetworkOptions { AllowedNetworks = [.. allowed] }))));

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting_and_reached_when_its_network_is_allowed()
    {
        using var receiver = new WebhookReceiver(200);
        var byName = receiver.Url.Replace("127.0.0.1", "localhost");

        using var strict = Client();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => strict.PostAsync(byName, new StringContent("{}")));
        Assert.IsType<WebhookAddressRefusedException>(refused.InnerException);
        await Assert.ThrowsAsync<HttpRequestException>(() => strict.PostAsync(receiver.Url, new StringContent("{}")));

        using var allowing = Client("127.0.0.1/32");
        var received = receiver.NextAsync(TimeSpan.FromSeconds(10));
        Assert.True((await allowing.PostAsync(receiver.Url, new StringContent("{}"))).IsSuccessStatusCode);
        Assert.Equal("{}", (await received).Body);
    }

    [Fact]
    public async Task A_delivery_to_a_refused_address_fails_once_without_retrying()
    {
        await using var host = await GovernanceHost.StartAsync();
        using var receiver = new WebhookReceiver(200);
        await host.As<WebhookSubscriptions>(GovernanceHost.Admin).CreateAsync(new WebhookSubscriptionRequest(receiver.Url, [WebhookEvents.PromotionApproved], "s"));
        var contexts = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        Guid id;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            id = Assert.Single(await ProductEvents.RaiseAsync(db, WebhookEvents.PromotionApproved, "Approved", "ok", null, new { }, DateTime.UtcNow, default)).Id;
            await db.SaveChangesAsync();
        }
        // The socket's rules are stricter than those the URL was saved under (as after an admin removed the network).
        var job = new WebhookDeliveryJob(contexts, new OneClient(Client()), host.Services.GetRequiredService<IDataProtectionProvider>(), TimeProvider.System);

        await job.DeliverAsync(id, CancellationToken.None); // no exception: nothing for Hangfire to retry

        await using var check = await contexts.CreateDbContextAsync();
        var delivery = await check.WebhookDeliveries.SingleAsync(d => d.Id == id);
        Assert.Equal((WebhookDeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts));
        Assert.Contains("internal addresses are not webhook targets", delivery.LastError);
        await Assert.ThrowsAsync<TimeoutException>(() => receiver.NextAsync(TimeSpan.FromSeconds(1)));
    }

    private sealed class OneClient(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }
}
