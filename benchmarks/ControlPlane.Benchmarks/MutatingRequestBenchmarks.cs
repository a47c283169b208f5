using System.Net.Http.Headers;
using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPlane.Benchmarks;

/// <summary>
/// A typical mutating API request end to end (bearer-token authentication, authorization, validation, insert,
/// audit event, JSON response) on the real app over a real SQLite file. Read together with
/// <see cref="AuditCaptureBenchmarks"/>: the audit share of a request is (SaveWithAudit − SaveWithoutAudit) / request.
/// </summary>
[MemoryDiagnoser]
public class MutatingRequestBenchmarks
{
    private const string Token = "cpat_benchmark-admin-token-0123456789abcdef";
    private string _data = "";
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = Path.Combine(Path.GetTempPath(), $"cp-bench-web-{Guid.NewGuid():N}");
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Benchmark");
            b.UseSetting("ControlPlane:DataDirectory", _data);
            b.UseSetting("ControlPlane:Bootstrap:AdminEmail", "bench@example.test");
            b.UseSetting("ControlPlane:Bootstrap:AdminPassword", "correct horse battery");
            b.UseSetting("ControlPlane:Bootstrap:AdminApiToken", Token);
            b.UseSetting("Workers:InProcess", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    [Benchmark]
    public async Task CreateTokenRequest()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/auth/tokens/mine", new { name = "bench", expiresInDays = 1 });
        response.EnsureSuccessStatusCode();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
