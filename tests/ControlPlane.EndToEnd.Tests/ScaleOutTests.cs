using System.Text.RegularExpressions;
using ControlPlane.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// docs/deploy.md's scale-out on one PostgreSQL database: two web instances (different ports, data-protection keys
/// shared through the database, no jobs of their own) and three worker processes, one on the gpu queue only and two
/// on default. A user signed in on one instance carries on on the other; the evaluation runs on the gpu worker and
/// the training, drift and profile jobs on the default workers; a training run's page on each instance follows the
/// run to its end without a reload.
/// </summary>
public sealed class ScaleOutTests
{
    private const string AdminToken = "cpat_scale-out-tests-admin-token-0123456789ab";
    private const string AdminPassword = "correct horse battery staple";
    private static readonly string[] DefaultWorkers = ["default-worker-1", "default-worker-2"];
    private const string GpuWorker = "gpu-worker";

    [Fact]
    public async Task Two_web_instances_and_three_workers_share_sign_in_route_jobs_by_queue_and_both_pages_follow_a_run_live()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        using var data = new TempDirectory("cp-scale-out");
        var shared = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ControlPlane__DataDirectory"] = data.Path, // one artifact store for every process
            ["Workers__QueuePollInterval"] = "00:00:00.500",
        };
        var urls = new[] { $"http://127.0.0.1:{FreePort.Next()}", $"http://127.0.0.1:{FreePort.Next()}" };
        var webs = new List<AppProcess>();
        var workers = new List<AppProcess>();
        try
        {
            foreach (var url in urls) // one after the other: the first applies the migrations
            {
                var web = AppProcess.Start("ControlPlane.Web", new Dictionary<string, string>(shared)
                {
                    ["ASPNETCORE_URLS"] = url,
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Workers__InProcess"] = "false",
                    ["ControlPlane__Datasets__InlineProfileMaxBytes"] = "1", // profiles run as jobs
                    ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
                    ["ControlPlane__Bootstrap__AdminPassword"] = AdminPassword,
                    ["ControlPlane__Bootstrap__AdminApiToken"] = AdminToken,
                }, data.Path);
                webs.Add(web);
                await Readiness.WaitAsync(url, web);
            }
            foreach (var (name, queue) in DefaultWorkers.Select(n => (n, "default")).Append((GpuWorker, "gpu")))
                workers.Add(AppProcess.Start("ControlPlane.Workers", new Dictionary<string, string>(shared)
                {
                    ["Workers__ServerName"] = name,
                    ["Workers__Queues__0"] = queue,
                }, data.Path));

            // Set-up through instance 1, work started through instance 2.
            using var first = ApiCalls.Client(urls[0], AdminToken);
            using var second = ApiCalls.Client(urls[1], AdminToken);
            await first.SendJsonAsync(HttpMethod.Post, "/api/v1/datasets", new { name = "scale-data" });
            await first.AddTrainingVersionAsync("scale-data", 0, 5_000);
            await first.AddTrainingVersionAsync("scale-data", 4, 5_000);
            await first.SendJsonAsync(HttpMethod.Post, "/api/v1/models", new { name = "scale-model" });
            var spec = await first.SendJsonAsync(HttpMethod.Post, "/api/v1/training/specs", ApiCalls.FastTreeSpec("scale-model", "scale-data", trees: 100));
            var monitor = await first.SendJsonAsync(HttpMethod.Post, "/api/v1/drift/monitors", new
            {
                name = "scale-monitor", reference = new { name = "scale-data", version = 1 }, currentDataset = "scale-data",
            });

            // Signed in on instance 1; the same browser opens instance 2 (cookies are per host, not per port) and is still signed in.
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await RunningApp.LaunchChromiumAsync(playwright);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = urls[0], ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(20_000);
            var onFirst = await context.NewPageAsync();
            await onFirst.SignInAsync("admin", AdminPassword);

            var run = await second.SendJsonAsync(HttpMethod.Post, $"/api/v1/training/specs/{spec["id"]}/runs", null);
            var drift = await second.SendJsonAsync(HttpMethod.Post, $"/api/v1/drift/monitors/{monitor["id"]}/runs", null);
            var onSecond = await context.NewPageAsync();
            await onSecond.GotoAsync($"{urls[1]}/training/runs/{run["id"]}");
            await onFirst.GotoAsync($"{urls[0]}/training/runs/{run["id"]}");
            Assert.DoesNotContain("/account/login", onSecond.Url);
            await onSecond.WaitUntilInteractiveAsync();
            await onFirst.WaitUntilInteractiveAsync();
            // Both pages follow the run as a default worker trains, with no reload.
            await Eventually.GetAsync(async () => (await second.GetJsonAsync($"/api/v1/training/runs/{run["id"]}"))["status"]?.GetValue<string>() is "Succeeded" or "Failed" ? "ended" : null,
                TimeSpan.FromMinutes(4), "the training run to end:\n" + string.Join("\n", workers.Select(w => w.Output)));
            Assert.Equal("Succeeded", (await second.GetJsonAsync($"/api/v1/training/runs/{run["id"]}"))["status"]!.GetValue<string>());
            try
            {
                await Expect(onFirst.GetByText("succeeded", new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
                await Expect(onSecond.GetByText("succeeded", new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
            }
            catch (PlaywrightException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message}\n--- web 1:\n{webs[0].Output}\n--- web 2:\n{webs[1].Output}");
            }

            var finished = await Eventually.GetAsync(async () =>
            {
                var training = await second.GetJsonAsync($"/api/v1/training/runs/{run["id"]}");
                var driftRun = await second.GetJsonAsync($"/api/v1/drift/runs/{drift["id"]}");
                var evaluation = training["evaluationId"]?.GetValue<string>() is { } id ? await second.GetJsonAsync($"/api/v1/evaluations/{id}") : null;
                return evaluation?["status"]?.GetValue<string>() == "Succeeded" && driftRun["status"]?.GetValue<string>() == "Succeeded" ? evaluation : null;
            }, TimeSpan.FromMinutes(3), "the evaluation and the drift run to finish");
            Assert.NotNull(finished);

            // Where each job ran, from the audit trail ("job.started": "Type.Method on server").
            var starts = (await first.GetJsonAsync("/api/v1/audit?action=job.started&pageSize=200"))["items"]!.AsArray()
                .Select(e => Regex.Match(e!["reason"]!.GetValue<string>(), @"^(\w+)\.\w+ on (\S+)$")).Where(m => m.Success)
                .Select(m => (Job: m.Groups[1].Value, Server: m.Groups[2].Value)).ToList();
            Assert.Contains(starts, s => s.Job == "EvaluationJob");
            Assert.All(starts.Where(s => s.Job == "EvaluationJob"), s => Assert.Equal(GpuWorker, s.Server));
            foreach (var job in new[] { "TrainingJob", "DriftRunJob", "DatasetProfileJob" })
            {
                Assert.Contains(starts, s => s.Job == job);
                Assert.All(starts.Where(s => s.Job == job), s => Assert.Contains(s.Server, DefaultWorkers));
            }
        }
        finally
        {
            foreach (var process in webs.Concat(workers))
                await process.DisposeAsync();
        }
    }
}
