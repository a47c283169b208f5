using ControlPlane.Domain.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization();
        api.MapGet("/", ListAsync).WithName("ListWebhookSubscriptions").WithSummary("Endpoints subscribed to product events (Admin).");
        api.MapPost("/", CreateAsync).WithName("CreateWebhookSubscription")
            .WithSummary("Subscribe {url, events: [\"*\"] or names, secret?}; deliveries carry X-ControlPlane-Signature: sha256=HMAC(secret, body) (Admin).");
        api.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateWebhookSubscription").WithSummary("Replace a subscription (a missing secret keeps it, \"\" removes it) (Admin).");
        api.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhookSubscription").WithSummary("Remove a subscription (Admin).");
        api.MapGet("/{id:guid}/deliveries", DeliveriesAsync).WithName("ListSubscriptionDeliveries").WithSummary("Recent deliveries and their attempts (Admin).");
        return routes;
    }

    public static async Task<Ok<IReadOnlyList<WebhookSubscriptionView>>> ListAsync(WebhookSubscriptions subscriptions, CancellationToken ct) =>
        TypedResults.Ok(await subscriptions.ListAsync(ct));

    public static async Task<Created<WebhookSubscriptionView>> CreateAsync(WebhookSubscriptionRequest request, WebhookSubscriptions subscriptions, CancellationToken ct)
    {
        var view = await subscriptions.CreateAsync(request, ct);
        return TypedResults.Created($"/api/v1/webhooks/{view.Id}", view);
    }

    public static async Task<Ok<WebhookSubscriptionView>> UpdateAsync(Guid id, WebhookSubscriptionRequest request, WebhookSubscriptions subscriptions, CancellationToken ct) =>
        TypedResults.Ok(await subscriptions.UpdateAsync(id, request, ct));

    public static async Task<NoContent> DeleteAsync(Guid id, WebhookSubscriptions subscriptions, CancellationToken ct)
    {
        await subscriptions.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<WebhookDeliveryView>>> DeliveriesAsync(Guid id, WebhookSubscriptions subscriptions, CancellationToken ct, int count = 50) =>
        TypedResults.Ok(await subscriptions.DeliveriesAsync(id, count, ct));
}
