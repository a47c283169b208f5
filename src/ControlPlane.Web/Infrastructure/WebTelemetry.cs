using ControlPlane.Web.Auth;
using ControlPlane.Workers.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ControlPlane.Web;

/// <summary>The web process's telemetry: the shared set (TelemetryRegistration) plus ASP.NET Core and the admin-only <c>/metrics</c>.</summary>
internal static class WebTelemetry
{
    public const string MetricsPath = "/metrics";

    public static IHostApplicationBuilder AddControlPlaneWebTelemetry(this IHostApplicationBuilder builder) =>
        builder.AddControlPlaneTelemetry("ControlPlane.Web",
            tracing: t => t.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path)),
            metrics: m => m.AddAspNetCoreInstrumentation().AddPrometheusExporter());

    /// <summary>Prometheus' scrape endpoint on the app's own port: an Admin's bearer token only, never a cookie.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder routes) =>
        routes.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Policies.MetricsScrape);

    // Scrapes and health probes every few seconds would bury the traces worth reading.
    private static bool IsScrapeOrProbe(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
