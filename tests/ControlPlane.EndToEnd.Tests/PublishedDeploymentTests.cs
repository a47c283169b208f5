using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ControlPlane.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// docs/deploy.md as written: the published outputs (scripts/test.sh runs the two publish commands) started with
/// <c>dotnet ControlPlane.Web.dll</c> and <c>dotnet ControlPlane.Workers.dll</c> from their folders, on one PostgreSQL
/// database. The web instance becomes ready, a job goes through the worker process, an admin works in the browser, and
/// SIGTERM with that page still open stops both processes cleanly, well inside the shutdown timeout.
/// </summary>
public sealed class PublishedDeploymentTests
{
    private const string AdminToken = "cpat_deploy-tests-admin-token-0123456789abcdef";
    private const string AdminPassword = "correct horse battery staple";
    private const string WorkerName = "deploy-worker";

    /// <summary>A stop that waits for the host's timeout (30 s here) instead of finishing its work fails this bound.</summary>
    private static readonly TimeSpan PromptStop = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_published_web_app_and_worker_serve_a_signed_in_admin_and_stop_on_SIGTERM_without_waiting_out_the_timeout()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        using var data = new TempDirectory("cp-deploy");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        Dictionary<string, string> shared = new()
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ControlPlane__DataDirectory"] = data.Path,
            ["Workers__QueuePollInterval"] = "00:00:00.500",
            ["shutdownTimeoutSeconds"] = "30",
        };
        var webDll = RepoPaths.PublishedDll("web", "ControlPlane.Web");
        await using var web = AppProcess.StartDll(webDll, new Dictionary<string, string>(shared)
        {
            ["ASPNETCORE_URLS"] = url,
            // The web instance runs the gpu queue in-process (as a machine with a GPU would); the default queue is the worker's.
            ["Workers__Queues__0"] = "gpu",
            ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
            ["ControlPlane__Bootstrap__AdminPassword"] = AdminPassword,
            ["ControlPlane__Bootstrap__AdminApiToken"] = AdminToken,
        }, Path.GetDirectoryName(webDll)!);
        using var api = new HttpClient { BaseAddress = new Uri(url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await Readiness.WaitAsync(url, web);

        var workerDll = RepoPaths.PublishedDll("workers", "ControlPlane.Workers");
        await using var worker = AppProcess.StartDll(workerDll, new Dictionary<string, string>(shared) { ["Workers__ServerName"] = WorkerName },
            Path.GetDirectoryName(workerDll)!);

        // A default-queue job goes through the worker process.
        var selfTest = await (await api.PostAsJsonAsync("/api/v1/system/self-tests", new { queue = "default" })).Content.ReadFromJsonAsync<JsonObject>();
        var processedBy = await Eventually.GetAsync(async () =>
            (await api.GetFromJsonAsync<JsonObject>($"/api/v1/system/self-tests/{selfTest!["id"]}"))?["processedByServer"]?.GetValue<string>(),
            TimeSpan.FromSeconds(90), "the worker process to take the self-test:\n" + worker.Output);
        Assert.Equal(WorkerName, processedBy);

        // A gpu-queue evaluation runs in the web instance, whose scoring child starts from the web app's own folder.
        await api.SendJsonAsync(HttpMethod.Post, "/api/v1/models", new { name = "deployed" });
        using (var model = new MultipartFormDataContent { { new ByteArrayContent(TestModels.HandBuiltOnnx.MemoryBomb(widening: 1)), "file", "model.onnx" } })
            (await api.PostAsync("/api/v1/models/deployed/versions", model)).EnsureSuccessStatusCode();
        await api.SendJsonAsync(HttpMethod.Post, "/api/v1/datasets", new { name = "deployed-data" });
        using (var csv = new MultipartFormDataContent { { new ByteArrayContent("x,y\n1,2\n2,4\n3,6\n4,8\n"u8.ToArray()), "file", "data.csv" } })
            (await api.PostAsync("/api/v1/datasets/deployed-data/versions", csv)).EnsureSuccessStatusCode();
        var evaluation = await api.SendJsonAsync(HttpMethod.Post, "/api/v1/evaluations",
            new { model = "deployed", version = 1, dataset = "deployed-data", datasetVersion = 1, labelColumn = "y", task = "Regression", device = "Cpu" });
        var evaluated = await Eventually.GetAsync(async () => await api.GetJsonAsync($"/api/v1/evaluations/{evaluation["id"]}") is var e
            && e["status"]!.GetValue<string>() is "Succeeded" or "Failed" ? e : null, TimeSpan.FromSeconds(90), "the evaluation in the web instance");
        Assert.True(evaluated["status"]!.GetValue<string>() == "Succeeded", evaluated.ToJsonString());
        Assert.Equal(2.5, evaluated["metrics"]!["mae"]!.GetValue<double>(), 9); // Y = X against y = 2x: errors 1, 2, 3, 4

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RunningApp.LaunchChromiumAsync(playwright);
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url })).NewPageAsync();
        await page.SignInAsync("admin", AdminPassword);
        await page.GotoAsync("/admin/workers");
        await Expect(page.GetByText(WorkerName).First).ToBeVisibleAsync();
        await page.WaitUntilInteractiveAsync();

        // The page stays open (its circuit connected) while the web instance is stopped.
        var webStop = await web.TerminateAsync(TimeSpan.FromSeconds(40));
        var workerStop = await worker.TerminateAsync(TimeSpan.FromSeconds(40));
        Assert.True(webStop < PromptStop, $"The web app took {webStop?.TotalSeconds:0.0} s to stop after SIGTERM:\n{web.Output}");
        Assert.True(workerStop < PromptStop, $"The worker took {workerStop?.TotalSeconds:0.0} s to stop after SIGTERM:\n{worker.Output}");
        Assert.Equal(0, web.ExitCode);
        Assert.Equal(0, worker.ExitCode);
        Assert.DoesNotContain("Unhandled exception", web.Output);
        Assert.DoesNotContain("Unhandled exception", worker.Output);
    }
}
