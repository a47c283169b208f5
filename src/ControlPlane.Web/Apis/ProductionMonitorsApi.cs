using ControlPlane.Domain.Common;
using ControlPlane.Domain.Production;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record ComputeWindowsResponse(string JobId);

public static class ProductionMonitorsApi
{
    public static IEndpointRouteBuilder MapProductionMonitorsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/models/{name}").WithTags("Production monitors").RequireAuthorization();
        api.MapGet("/production-monitors", ListAsync).WithName("ListProductionMonitors").WithSummary("The model's production monitors with their latest window's health.");
        api.MapPost("/production-monitors", CreateAsync).WithName("CreateProductionMonitor").WithSummary("Watch the model's live traffic: target (alias, stage or versions), window size, reference, objectives (the model's owner or an admin).");
        api.MapGet("/production-monitors/{monitor}", GetAsync).WithName("GetProductionMonitor").WithSummary("One production monitor, by id or name.");
        api.MapPut("/production-monitors/{monitor}", UpdateAsync).WithName("UpdateProductionMonitor").WithSummary("Replace a monitor's definition; send the concurrencyStamp you read (409 when someone changed it since).");
        api.MapGet("/production-monitors/{monitor}/windows", ListWindowsAsync).WithName("ListProductionWindows").WithSummary("The monitor's computed windows, newest first, optionally starting within [from, to) (UTC), paged.");
        api.MapGet("/production-monitors/{monitor}/attribution", AttributionAsync).WithName("GetProductionDriftAttribution").WithSummary("The latest window's features weighed by the serving version's permutation importance, most consequential first (204 before the first window).");
        api.MapPost("/production-monitors/{monitor}/compute", ComputeAsync).WithName("ComputeProductionWindows").WithSummary("Compute now: queues the monitor's windows job (202 with the job id).");
        api.MapGet("/telemetry-retention", GetRetentionAsync).WithName("GetTelemetryRetention").WithSummary("Days the model's prediction logs and actuals are kept (its own setting or the server's default).");
        api.MapPut("/telemetry-retention", SetRetentionAsync).WithName("SetTelemetryRetention").WithSummary("Set the model's telemetry retention, 1 to 3650 days or null for the default, with a reason (Admin; audited).");
        return routes;
    }

    public static async Task<Ok<IReadOnlyList<ProductionMonitorView>>> ListAsync(string name, ProductionMonitors monitors, CancellationToken ct) =>
        TypedResults.Ok(await monitors.ListAsync(name, ct));

    public static async Task<Created<ProductionMonitorView>> CreateAsync(string name, ProductionMonitorRequest request, ProductionMonitors monitors, CancellationToken ct)
    {
        var monitor = await monitors.CreateAsync(name, request, ct);
        return TypedResults.Created($"/api/v1/models/{Uri.EscapeDataString(monitor.Model)}/production-monitors/{monitor.Id}", monitor);
    }

    public static async Task<Ok<ProductionMonitorView>> GetAsync(string name, string monitor, ProductionMonitors monitors, CancellationToken ct) =>
        TypedResults.Ok(await monitors.GetAsync(name, monitor, ct));

    public static async Task<Ok<ProductionMonitorView>> UpdateAsync(string name, string monitor, ProductionMonitorRequest request, ProductionMonitors monitors, CancellationToken ct) =>
        TypedResults.Ok(await monitors.UpdateAsync(name, monitor, request, ct));

    public static async Task<Ok<Page<ProductionWindowView>>> ListWindowsAsync(string name, string monitor, ProductionMonitors monitors, CancellationToken ct,
        DateTime? from = null, DateTime? to = null, int page = 0, int pageSize = 48) =>
        TypedResults.Ok(await monitors.ListWindowsAsync(name, monitor, new PageRequest(page, pageSize), from, to, ct));

    public static async Task<Results<Ok<ControlPlane.Domain.Explainability.DriftAttributionView>, NoContent>> AttributionAsync(
        string name, string monitor, ProductionMonitors monitors, CancellationToken ct) =>
        await monitors.LatestAttributionAsync(name, monitor, ct) is { } attribution ? TypedResults.Ok(attribution) : TypedResults.NoContent();

    public static async Task<Accepted<ComputeWindowsResponse>> ComputeAsync(string name, string monitor, ProductionMonitors monitors, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, new ComputeWindowsResponse(await monitors.ComputeNowAsync(name, monitor, ct)));

    public static async Task<Ok<TelemetryRetentionView>> GetRetentionAsync(string name, TelemetryRetention retention, CancellationToken ct) =>
        TypedResults.Ok(await retention.GetAsync(name, ct));

    public static async Task<Ok<TelemetryRetentionView>> SetRetentionAsync(string name, TelemetryRetentionRequest request, TelemetryRetention retention, CancellationToken ct) =>
        TypedResults.Ok(await retention.SetAsync(name, request.Days, request.Reason, ct));
}
