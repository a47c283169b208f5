using OpenTelemetry.Exporter;

namespace ControlPlane.Workers.Telemetry;

/// <summary><c>ControlPlane:Telemetry</c>: where traces, metrics and logs go besides the console.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "ControlPlane:Telemetry";

    public OtlpSettings Otlp { get; set; } = new();
    public PrometheusSettings Prometheus { get; set; } = new();

    public sealed class OtlpSettings
    {
        /// <summary>A collector's address; traces, metrics and logs are exported there when set.</summary>
        public Uri? Endpoint { get; set; }

        public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;
    }

    public sealed class PrometheusSettings
    {
        /// <summary>A private port serving <c>/metrics</c> to anyone who can reach it; none when unset.</summary>
        public int? Port { get; set; }

        /// <summary>The host part of the listener's prefix: <c>localhost</c>, an address, or <c>*</c> for every interface.</summary>
        public string Host { get; set; } = "localhost";
    }

    /// <summary>The exporters are chosen while the host is built, so the settings are checked then rather than on start.</summary>
    public TelemetryOptions Validated()
    {
        if (Prometheus.Port is < 1 or > 65535)
            throw new InvalidOperationException($"{Section}:Prometheus:Port must be between 1 and 65535.");
        if (string.IsNullOrWhiteSpace(Prometheus.Host) || Prometheus.Host.Contains('/'))
            throw new InvalidOperationException($"{Section}:Prometheus:Host must be a host name, an address or '*'.");
        if (Otlp.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
            throw new InvalidOperationException($"{Section}:Otlp:Endpoint must be an absolute URL such as http://collector:4317.");
        return this;
    }
}
