using System.Text.Json;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Webhooks;

/// <summary>
/// Records a product event in the caller's unit of work: an in-app notification (unless <c>notify</c> is false, for
/// routine changes) and one pending delivery per subscription that wants it. The caller saves, then enqueues the
/// returned deliveries (the rows commit first).
/// </summary>
public static class ProductEvents
{
    public static async Task<IReadOnlyList<WebhookDelivery>> RaiseAsync(
        ControlPlaneDbContext db, string eventName, string title, string body, string? link, object data, DateTime now, CancellationToken ct, bool notify = true)
    {
        if (notify)
            db.Notifications.Add(new Notification
            {
                Id = Guid.CreateVersion7(), Kind = eventName.Split('.')[0], Title = Clip(title, 256), Body = Clip(body, 4000), Link = link, CreatedAtUtc = now,
            });
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled).ToListAsync(ct);
        var payload = JsonSerializer.Serialize(new { @event = eventName, occurredAt = now, link, data });
        var deliveries = subscriptions.Where(s => s.Wants(eventName)).Select(s => new WebhookDelivery
        {
            Id = Guid.CreateVersion7(), Event = eventName, SubscriptionId = s.Id, Url = s.Url, Payload = payload,
            Status = WebhookDeliveryStatus.Pending, CreatedAtUtc = now,
        }).ToList();
        db.WebhookDeliveries.AddRange(deliveries);
        return deliveries;
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
}
