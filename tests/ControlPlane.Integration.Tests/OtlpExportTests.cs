using System.Diagnostics;
using ControlPlane.Domain.Jobs;
using ControlPlane.TestSupport;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The web process exporting to an OTLP endpoint (HTTP/protobuf): the request that enqueues a job and the job's span
/// share the caller's trace, and the job's metrics and its log lines (with their scope) arrive too.
/// </summary>
public sealed class OtlpExportTests
{
    private const string AdminToken = "cpat_otlp-tests-admin-token-0123456789abcdef";

    [Fact]
    public async Task Traces_metrics_and_logs_reach_the_collector_and_the_job_continues_the_callers_trace()
    {
        using var collector = new OtlpReceiver();
        await using var web = await WebAppProcess.StartAsync(AdminToken,
            ("ControlPlane__Telemetry__Otlp__Endpoint", collector.Url), ("ControlPlane__Telemetry__Otlp__Protocol", "HttpProtobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"), ("OTEL_BLRP_SCHEDULE_DELAY", "200"), ("OTEL_METRIC_EXPORT_INTERVAL", "500"),
            ("Workers__QueuePollInterval", "00:00:00.200"));
        using var admin = web.Admin();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        admin.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var test = await SelfTestRuns.RunAsync(admin, JobQueues.Default, () => web.App.Output);

        var spans = await Eventually.GetAsync(() =>
        {
            var all = collector.Bodies("/v1/traces").SelectMany(OtlpSpans.Read).ToList();
            return Task.FromResult(all.Any(s => s.Name == "job WorkerSelfTestJob") ? all : null);
        }, TimeSpan.FromSeconds(30), "the job's span at /v1/traces");
        Assert.Contains((traceId, "POST /api/v1/system/self-tests"), spans);
        Assert.Contains((traceId, "job WorkerSelfTestJob"), spans);

        await Eventually.GetAsync(() => Task.FromResult(collector.Contains("/v1/metrics", "controlplane.jobs.completed", "WorkerSelfTestJob") ? "metrics" : null),
            TimeSpan.FromSeconds(30), "the job counter at /v1/metrics");
        await Eventually.GetAsync(() => Task.FromResult(collector.Contains("/v1/logs", "SelfTestId", test.Id.ToString(), "StartedBy") ? "logs" : null),
            TimeSpan.FromSeconds(30), "the job's log lines with their scope at /v1/logs");
    }
}
