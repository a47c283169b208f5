using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Webhooks;

/// <summary>Admins subscribe endpoints to product events; deliveries are signed, retried and logged like drift alerts.</summary>
public sealed class WebhookSubscriptions(IDbContextFactory<ControlPlaneDbContext> contexts, IDataProtectionProvider protection, WebhookAddresses addresses, IActorContext actor, TimeProvider time)
{
    public async Task<IReadOnlyList<WebhookSubscriptionView>> ListAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAtUtc).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    public async Task<WebhookSubscriptionView> CreateAsync(WebhookSubscriptionRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), Url = "", Events = "*", CreatedBy = actor.Current.Name, CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        Apply(subscription, request);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.WebhookSubscriptions.Add(subscription);
        using (AuditAmbient.BeginAction("webhook.subscribed", "webhookSubscription", subscription.Id.ToString(), subscription.Url))
            await db.SaveChangesAsync(ct);
        return View(subscription);
    }

    public async Task<WebhookSubscriptionView> UpdateAsync(Guid id, WebhookSubscriptionRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscription = await FindAsync(db, id, ct);
        Apply(subscription, request);
        using (AuditAmbient.BeginAction("webhook.updated", "webhookSubscription", id.ToString(), subscription.Url))
        {
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConflictException("Someone else changed this subscription at the same time; reload and try again.");
            }
        }
        return View(subscription);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscription = await FindAsync(db, id, ct);
        db.WebhookSubscriptions.Remove(subscription);
        using (AuditAmbient.BeginAction("webhook.unsubscribed", "webhookSubscription", id.ToString(), subscription.Url))
            await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(Guid id, int count, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await FindAsync(db, id, ct);
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id).OrderByDescending(d => d.CreatedAtUtc).Take(Math.Clamp(count, 1, 200))
            .Select(d => new WebhookDeliveryView(d.Id, d.Event, d.RunId, d.Url, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAtUtc, d.DeliveredAtUtc))
            .ToListAsync(ct);
    }

    private void Apply(WebhookSubscription subscription, WebhookSubscriptionRequest request)
    {
        subscription.Url = addresses.Validate(request.Url, "url") ?? throw RegistryRules.Invalid("url", "The webhook URL must be an absolute http(s) URL.");
        var events = (request.Events ?? ["*"]).Select(e => e.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (events.Count == 0 || events.Any(e => e != "*" && !WebhookEvents.All.Contains(e)) || (events.Contains("*") && events.Count > 1))
            throw RegistryRules.Invalid("events", $"Events are \"*\" or some of: {string.Join(", ", WebhookEvents.All)}.");
        subscription.Events = string.Join(',', events);
        if (request.Secret is { } secret)
            subscription.SecretProtected = secret.Length == 0 ? null : protection.CreateProtector(WebhookEvents.SecretPurpose).Protect(secret);
        subscription.Enabled = request.Enabled;
        subscription.ConcurrencyStamp = Guid.NewGuid();
    }

    private static async Task<WebhookSubscription> FindAsync(ControlPlaneDbContext db, Guid id, CancellationToken ct) =>
        await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException($"Webhook subscription {id} does not exist.");

    private static WebhookSubscriptionView View(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Events.Split(','), s.SecretProtected is not null, s.Enabled, s.CreatedBy, s.CreatedAtUtc);
}
