using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class DriftApi
{
    public static IEndpointRouteBuilder MapDriftApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/drift").WithTags("Drift").RequireAuthorization();
        api.MapPost("/monitors", CreateAsync).WithName("CreateDriftMonitor").WithSummary("Create a monitor: reference version, current data, columns and methods, schedule, webhook (DataScientist, Admin).");
        api.MapGet("/monitors", ListAsync).WithName("ListDriftMonitors").WithSummary("Monitors with their last verdict, searched by name, paged.");
        api.MapGet("/monitors/{id:guid}", GetAsync).WithName("GetDriftMonitor").WithSummary("One monitor.");
        api.MapPut("/monitors/{id:guid}", UpdateAsync).WithName("UpdateDriftMonitor").WithSummary("Replace a monitor's definition (a missing webhookSecret keeps the stored one; \"\" removes it).");
        api.MapPost("/monitors/{id:guid}/runs", RunNowAsync).WithName("RunDriftMonitor").WithSummary("Run now: 202 with the queued run.");
        api.MapGet("/monitors/{id:guid}/runs", ListRunsAsync).WithName("ListDriftRuns").WithSummary("A monitor's runs, newest first, optionally from/to (UTC) and with per-column results (?results=true).");
        api.MapGet("/monitors/{id:guid}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries").WithSummary("The monitor's recent webhook deliveries and their attempts.");
        api.MapGet("/runs/{id:guid}", GetRunAsync).WithName("GetDriftRun").WithSummary("One run with every column's tests and histograms.");
        routes.MapGet("/api/v1/notifications", NotificationsAsync).WithTags("Drift").RequireAuthorization().WithName("ListNotifications").WithSummary("Recent in-app alerts.");
        return routes;
    }

    public static async Task<Created<DriftMonitorView>> CreateAsync(DriftMonitorRequest request, DriftMonitors monitors, CancellationToken ct)
    {
        var monitor = await monitors.CreateAsync(request, ct);
        return TypedResults.Created($"/api/v1/drift/monitors/{monitor.Id}", monitor);
    }

    public static async Task<Ok<Page<DriftMonitorView>>> ListAsync(DriftMonitors monitors, CancellationToken ct, string? search = null, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await monitors.ListAsync(new PageRequest(page, pageSize, search), ct));

    public static async Task<Ok<DriftMonitorView>> GetAsync(Guid id, DriftMonitors monitors, CancellationToken ct) =>
        TypedResults.Ok(await monitors.GetAsync(id, ct));

    public static async Task<Ok<DriftMonitorView>> UpdateAsync(Guid id, DriftMonitorRequest request, DriftMonitors monitors, CancellationToken ct) =>
        TypedResults.Ok(await monitors.UpdateAsync(id, request, ct));

    public static async Task<Accepted<DriftRunView>> RunNowAsync(Guid id, DriftMonitors monitors, CancellationToken ct)
    {
        var run = await monitors.RunNowAsync(id, ct);
        return TypedResults.Accepted($"/api/v1/drift/runs/{run.Id}", run);
    }

    public static async Task<Ok<Page<DriftRunView>>> ListRunsAsync(Guid id, DriftMonitors monitors, CancellationToken ct,
        DateTime? from = null, DateTime? to = null, bool results = false, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await monitors.ListRunsAsync(id, new PageRequest(page, pageSize), from, to, results, ct));

    public static async Task<Ok<DriftRunView>> GetRunAsync(Guid id, DriftMonitors monitors, CancellationToken ct) =>
        TypedResults.Ok(await monitors.GetRunAsync(id, ct));

    public static async Task<Ok<IReadOnlyList<WebhookDeliveryView>>> DeliveriesAsync(Guid id, DriftMonitors monitors, CancellationToken ct, int count = 50) =>
        TypedResults.Ok(await monitors.DeliveriesAsync(id, count, ct));

    public static async Task<Ok<IReadOnlyList<NotificationView>>> NotificationsAsync(Notifications notifications, CancellationToken ct, int count = 20) =>
        TypedResults.Ok(await notifications.RecentAsync(count, ct));
}
