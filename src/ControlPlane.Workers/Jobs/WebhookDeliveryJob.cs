using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Webhooks;
using ControlPlane.Domain.Persistence;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// POSTs an event's JSON payload to its webhook, signed with HMAC-SHA256 of the body under the monitor's or subscription's secret
/// (header <c>X-ControlPlane-Signature: sha256=&lt;hex&gt;</c>). Retried by Hangfire with back-off; every attempt is
/// logged on the delivery. The job argument is the delivery id: the secret never leaves the database.
/// </summary>
public sealed class WebhookDeliveryJob(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IHttpClientFactory http,
    IDataProtectionProvider protection,
    TimeProvider time)
{
    public const string SignatureHeader = "X-ControlPlane-Signature";
    public const int MaxAttempts = 5;

    [AutomaticRetry(Attempts = MaxAttempts - 1, DelaysInSeconds = [10, 60, 300, 1800])]
    public async Task DeliverAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null || delivery.Status == WebhookDeliveryStatus.Delivered)
            return;
        var secret = delivery.SubscriptionId is { } subscription
            ? await db.WebhookSubscriptions.Where(s => s.Id == subscription).Select(s => s.SecretProtected).SingleOrDefaultAsync(ct)
            : await db.DriftMonitors.Where(m => m.Id == delivery.MonitorId).Select(m => m.WebhookSecretProtected).SingleOrDefaultAsync(ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(delivery.Payload, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-ControlPlane-Delivery", delivery.Id.ToString());
        request.Headers.Add("X-ControlPlane-Event", delivery.Event);
        if (secret is not null)
            request.Headers.Add(SignatureHeader, Sign(protection.CreateProtector(WebhookEvents.SecretPurpose).Unprotect(secret), delivery.Payload));

        delivery.Attempts++;
        var refused = false;
        try
        {
            using var response = await http.CreateClient(nameof(WebhookDeliveryJob)).SendAsync(request, ct);
            delivery.LastStatusCode = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                delivery.Status = WebhookDeliveryStatus.Delivered;
                delivery.DeliveredAtUtc = time.GetUtcNow().UtcDateTime;
                delivery.LastError = null;
                await db.SaveChangesAsync(ct);
                return;
            }
            delivery.LastError = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // An address it may not reach will not become allowed by waiting: no retries.
            refused = e.InnerException is WebhookAddressRefusedException;
            var message = e.InnerException is WebhookAddressRefusedException r ? r.Message : e.Message;
            delivery.LastError = message.Length > 2000 ? message[..2000] : message;
        }
        var final = refused || delivery.Attempts >= MaxAttempts;
        if (final)
            delivery.Status = WebhookDeliveryStatus.Failed;
        await db.SaveChangesAsync(CancellationToken.None);
        if (!final)
            throw new WebhookDeliveryFailedException($"Webhook delivery {delivery.Id} attempt {delivery.Attempts} failed: {delivery.LastError}");
    }

    /// <summary>What a receiver recomputes to check an alert: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the raw body.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}

public sealed class WebhookDeliveryFailedException(string message) : Exception(message);
