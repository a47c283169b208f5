using ControlPlane.Domain.Jobs;
using ControlPlane.TestSupport;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// A real Prometheus scrapes the scale-out topology on PostgreSQL: the web app's main port (with an Admin's bearer
/// token) and its private metrics port, and a standalone worker's private port. The series it stores must count
/// exactly what this test did: its requests to one route, and one self-test job in each process.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string AdminToken = "cpat_prometheus-tests-admin-token-0123456789abcdef";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prometheus_scrapes_both_processes_and_stores_the_requests_and_jobs_this_test_made()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var (webMetricsPort, workerMetricsPort) = (FreePort.Next(), FreePort.Next());
        await using var web = await WebAppProcess.StartAsync(AdminToken,
            ("Database__Provider", "PostgreSql"), ("ConnectionStrings__ControlPlane", database),
            ("Workers__Queues__0", JobQueues.Default), ("Workers__ServerName", "web-in-process"), ("Workers__QueuePollInterval", "00:00:00.200"),
            ("ControlPlane__Telemetry__Prometheus__Port", $"{webMetricsPort}"), ("ControlPlane__Telemetry__Prometheus__Host", "127.0.0.1"));
        await using var worker = AppProcess.Start("ControlPlane.Workers", new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = database,
            ["ControlPlane__DataDirectory"] = web.DataDirectory,
            ["Workers__Queues__0"] = JobQueues.Gpu,
            ["Workers__ServerName"] = "standalone-worker",
            ["Workers__QueuePollInterval"] = "00:00:00.200",
            ["ControlPlane__Telemetry__Prometheus__Port"] = $"{workerMetricsPort}",
            ["ControlPlane__Telemetry__Prometheus__Host"] = "127.0.0.1",
        }, web.DataDirectory);
        await using var prometheus = await PrometheusServer.StartAsync(
            PrometheusServer.ScrapeJob("web", new Uri(web.Url).Authority, AdminToken)
            + PrometheusServer.ScrapeJob("web-private", $"127.0.0.1:{webMetricsPort}")
            + PrometheusServer.ScrapeJob("worker", $"127.0.0.1:{workerMetricsPort}"),
            TimeSpan.FromSeconds(2));
        using var admin = web.Admin();

        const int meRequests = 7;
        for (var i = 0; i < meRequests; i++)
            (await admin.GetAsync("/api/v1/me")).EnsureSuccessStatusCode();
        var inWeb = await SelfTestRuns.RunAsync(admin, JobQueues.Default, () => web.App.Output);
        var inWorker = await SelfTestRuns.RunAsync(admin, JobQueues.Gpu, () => worker.Output);

        foreach (var job in new[] { "web", "web-private", "worker" })
            await prometheus.WaitForValueAsync($"up{{job=\"{job}\"}}", 1, Timeout);
        await prometheus.WaitForValueAsync(
            """sum(http_server_request_duration_seconds_count{job="web",http_route="/api/v1/me",http_request_method="GET",http_response_status_code="200"})""",
            meRequests, Timeout);
        // The private port serves the same meter provider as the main one.
        await prometheus.WaitForValueAsync(
            """sum(http_server_request_duration_seconds_count{job="web-private",http_route="/api/v1/me"})""", meRequests, Timeout);

        // Each self-test ran once, in the process that listens on its queue, and nowhere else.
        foreach (var (job, queue) in new[] { ("web-private", JobQueues.Default), ("worker", JobQueues.Gpu) })
        {
            var selector = $"job=\"{job}\",job_type=\"WorkerSelfTestJob\"";
            await prometheus.WaitForValueAsync($"controlplane_jobs_started_total{{{selector}}}", 1, Timeout);
            await prometheus.WaitForValueAsync($"controlplane_jobs_completed_total{{{selector},outcome=\"succeeded\"}}", 1, Timeout);
            await prometheus.WaitForValueAsync($"controlplane_job_duration_seconds_count{{{selector},outcome=\"succeeded\"}}", 1, Timeout);
            await prometheus.WaitForValueAsync($"controlplane_job_queue_wait_seconds_count{{{selector},job_queue=\"{queue}\"}}", 1, Timeout);
        }
        Assert.Empty(await prometheus.QueryAsync("""controlplane_jobs_completed_total{job_type="WorkerSelfTestJob",outcome!="succeeded"}"""));
        Assert.Equal("web-in-process", inWeb.ProcessedByServer);
        Assert.Equal("standalone-worker", inWorker.ProcessedByServer);

        // The worker's console (the simple formatter, scopes on by default) names the job on the lines it wrote.
        Assert.Contains($"JobId:{inWorker.JobId} JobType:WorkerSelfTestJob SelfTestId:{inWorker.Id} StartedBy:{WebAppProcess.AdminUserName}", worker.Output);
    }
}
