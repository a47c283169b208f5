using ControlPlane.Workers.Telemetry;

namespace ControlPlane.Workers.Tests.Telemetry;

public sealed class TelemetryOptionsTests
{
    [Fact]
    public void Nothing_configured_is_valid_and_exports_nowhere_but_the_console()
    {
        var options = new TelemetryOptions().Validated();

        Assert.Null(options.Otlp.Endpoint);
        Assert.Null(options.Prometheus.Port);
        Assert.Equal("localhost", options.Prometheus.Host);
    }

    [Theory]
    [InlineData(0, "localhost", null, "Prometheus:Port")]
    [InlineData(65536, "localhost", null, "Prometheus:Port")]
    [InlineData(9464, "", null, "Prometheus:Host")]
    [InlineData(9464, "host/metrics", null, "Prometheus:Host")]
    [InlineData(null, "localhost", "collector:4317", "Otlp:Endpoint")] // no scheme: Uri reads "collector" as one
    [InlineData(null, "localhost", "/v1/traces", "Otlp:Endpoint")]
    public void A_bad_setting_stops_start_up_naming_its_key(int? port, string host, string? endpoint, string key)
    {
        var options = new TelemetryOptions
        {
            Prometheus = { Port = port, Host = host },
            Otlp = { Endpoint = endpoint is null ? null : new Uri(endpoint, UriKind.RelativeOrAbsolute) },
        };

        var error = Assert.Throws<InvalidOperationException>(() => options.Validated());
        Assert.Contains($"ControlPlane:Telemetry:{key}", error.Message);
    }
}
