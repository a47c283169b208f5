using ControlPlane.Domain.Telemetry;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ControlPlane.Workers.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// OpenTelemetry for one process: ControlPlane's own meter, HttpClient, EF Core and runtime instrumentation;
    /// a Prometheus listener on <c>ControlPlane:Telemetry:Prometheus:Port</c>; traces, metrics and logs over OTLP when
    /// <c>ControlPlane:Telemetry:Otlp:Endpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (spans are only
    /// recorded then); console lines with their logging scopes. <paramref name="tracing"/> and <paramref name="metrics"/> add the host's own instrumentation.
    /// </summary>
    public static IHostApplicationBuilder AddControlPlaneTelemetry(this IHostApplicationBuilder builder, string serviceName,
        Action<TracerProviderBuilder>? tracing = null, Action<MeterProviderBuilder>? metrics = null)
    {
        var settings = (builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new()).Validated();
        builder.IncludeScopesOnConsole();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName))
            .WithMetrics(m =>
            {
                m.AddMeter(ControlPlaneTelemetry.Name, "System.Runtime").AddHttpClientInstrumentation();
                metrics?.Invoke(m);
                if (settings.Prometheus.Port is { } port)
                    m.AddPrometheusHttpListener(o =>
                    {
                        o.Port = port;
                        // The exporter's own prefix is localhost only; the listener matches Host headers against ours.
                        o.ConfigureHttpListener = (_, listener) =>
                        {
                            listener.Prefixes.Clear();
                            listener.Prefixes.Add($"http://{settings.Prometheus.Host}:{port}/metrics/");
                        };
                    });
            });

        var standardEndpoint = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (settings.Otlp.Endpoint is null && !standardEndpoint)
            return builder;
        otel.WithTracing(t =>
            {
                t.AddSource(ControlPlaneTelemetry.Name).AddHttpClientInstrumentation().AddEntityFrameworkCoreInstrumentation();
                tracing?.Invoke(t);
            })
            .WithLogging(_ => { }, o => o.IncludeScopes = true);
        // Without our own setting the exporter reads every OTEL_EXPORTER_OTLP_* variable (protocol, headers, timeouts).
        if (settings.Otlp.Endpoint is { } endpoint)
            otel.UseOtlpExporter(settings.Otlp.Protocol, endpoint);
        else
            otel.UseOtlpExporter();
        return builder;
    }
}
