using System.Net.Http.Headers;
using System.Net.Http.Json;
using ControlPlane.Domain.Jobs;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The scale-out topology on a PostgreSQL server: the web process runs jobs of the default queue
/// in-process, a separate ControlPlane.Workers process takes the gpu queue. Both share one database.
/// </summary>
public sealed class PostgresJobsTests : IAsyncLifetime
{
    private const string AdminToken = "cpat_integration-admin-token-0123456789abcdef";
    private readonly TempDirectory _work = new("cp-int");
    private string _connectionString = "";
    private WebApplicationFactory<Program>? _web;
    private AppProcess? _worker;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync();
        _web = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:ControlPlane", _connectionString);
            builder.UseSetting("ControlPlane:DataDirectory", _work.Path);
            builder.UseSetting("ControlPlane:Bootstrap:AdminEmail", "admin@example.test");
            builder.UseSetting("ControlPlane:Bootstrap:AdminPassword", "correct horse battery");
            builder.UseSetting("ControlPlane:Bootstrap:AdminApiToken", AdminToken);
            builder.UseSetting("Workers:Queues:0", JobQueues.Default);
            builder.UseSetting("Workers:ServerName", "web-in-process");
            builder.UseSetting("Workers:QueuePollInterval", "00:00:00.200");
        });
        _web.CreateClient(); // starts the host: migrations and Hangfire schema exist before the worker starts
        _worker = AppProcess.Start("ControlPlane.Workers", new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = _connectionString,
            ["ControlPlane__DataDirectory"] = _work.Path,
            ["Workers__Queues__0"] = JobQueues.Gpu,
            ["Workers__ServerName"] = "standalone-gpu-worker",
            ["Workers__QueuePollInterval"] = "00:00:00.200",
        }, _work.Path);
    }

    [Fact]
    public async Task The_default_queue_runs_in_process_and_the_gpu_queue_runs_in_the_standalone_worker()
    {
        var admin = Admin();
        var servers = await Eventually.GetAsync(async () =>
        {
            var list = await admin.GetFromJsonAsync<List<WorkerServerInfo>>("/api/v1/system/workers");
            return list is { Count: 2 } ? list : null;
        }, TimeSpan.FromSeconds(60), "both job servers to register:\n" + _worker!.Output);
        Assert.Equal([JobQueues.Gpu], servers.Single(s => s.Name.StartsWith("standalone-gpu-worker", StringComparison.Ordinal)).Queues);
        Assert.Equal([JobQueues.Default], servers.Single(s => s.Name.StartsWith("web-in-process", StringComparison.Ordinal)).Queues);

        var onDefault = await RunSelfTestAsync(admin, JobQueues.Default);
        var onGpu = await RunSelfTestAsync(admin, JobQueues.Gpu);

        Assert.Equal("web-in-process", onDefault.ProcessedByServer);
        Assert.Equal("standalone-gpu-worker", onGpu.ProcessedByServer);
    }

    [Fact]
    public async Task Concurrent_version_registrations_on_the_server_get_gap_free_numbers()
    {
        var admin = Admin();
        var model = $"pg-race-{Guid.NewGuid():N}"[..16];
        (await admin.PostAsJsonAsync("/api/v1/models", new { name = model })).EnsureSuccessStatusCode();

        var numbers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(ControlPlane.TestModels.HandBuiltOnnx.LogisticRegressionWithZipMap([i, 2f], 1f)), "file", "m.onnx" } };
            var response = await Admin().PostAsync($"/api/v1/models/{model}/versions", form);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return doc.RootElement.GetProperty("version").GetInt32();
        }));

        Assert.Equal(Enumerable.Range(1, 12), numbers.Order());
        (await admin.PostAsync("/api/v1/audit/digests", null)).EnsureSuccessStatusCode(); // a chain no digest vouches for is "unanchored"
        var verify = await admin.PostAsync("/api/v1/audit/verify", null);
        var verdict = await verify.Content.ReadAsStringAsync();
        Assert.True(verdict.Contains("\"intact\":true"), verdict);
    }

    private Task<WorkerSelfTest> RunSelfTestAsync(HttpClient admin, string queue) => SelfTestRuns.RunAsync(admin, queue, () => _worker!.Output);

    private HttpClient Admin()
    {
        var client = _web!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
            await _worker.DisposeAsync();
        if (_web is not null)
            await _web.DisposeAsync();
        _work.Dispose();
    }
}
