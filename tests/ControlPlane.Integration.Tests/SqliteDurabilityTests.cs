using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.TestSupport;
using Xunit.Abstractions;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The default single-machine deployment (SQLite, WAL, synchronous=FULL): every write the API acknowledged is on disk
/// when the web process is killed with SIGKILL while more writes are in flight, and the audit trail still verifies.
/// </summary>
public sealed class SqliteDurabilityTests(ITestOutputHelper output)
{
    private const string AdminToken = "cpat_durability-tests-admin-token-0123456789ab";
    private const int Acknowledged = 1_000;
    private const int Writers = 8;

    [Fact]
    public async Task Every_acknowledged_write_survives_a_SIGKILL_mid_load_and_the_audit_chain_verifies()
    {
        using var data = new TempDirectory("cp-durable");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var acknowledged = new ConcurrentBag<string>();
        var attempted = 0;
        var killing = 0;

        await using (var first = await StartAsync(data, url))
        {
            using var api = Client(url);
            using var enough = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !enough.IsCancellationRequested; i++)
                {
                    var name = $"durable-{w}-{i}";
                    Interlocked.Increment(ref attempted);
                    try
                    {
                        var response = await api.PostAsJsonAsync("/api/v1/models", new { name, description = "written before the kill" });
                        if (response.StatusCode != HttpStatusCode.Created)
                            throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        acknowledged.Add(name);
                        if (acknowledged.Count >= Acknowledged && Interlocked.Exchange(ref killing, 1) == 0)
                            await first.KillAsync(); // at once, with the other writers' requests in flight
                    }
                    catch (HttpRequestException) when (Volatile.Read(ref killing) == 1)
                    {
                        await enough.CancelAsync(); // the kill cut this request off: not acknowledged
                    }
                }
            })).ToArray();
            await Task.WhenAll(writers);
        }
        output.WriteLine($"{acknowledged.Count} writes acknowledged of {attempted} sent before SIGKILL");
        Assert.True(acknowledged.Count >= Acknowledged);

        await using var second = await StartAsync(data, url);
        using var admin = Client(url);
        var missing = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (name, ct) =>
        {
            if ((await admin.GetAsync($"/api/v1/models/{name}", ct)).StatusCode != HttpStatusCode.OK)
                missing.Add(name);
        });
        output.WriteLine($"{acknowledged.Count - missing.Count} of {acknowledged.Count} found after restart");
        Assert.Empty(missing);

        // Sign the head as it is now, then verify the whole chain, the rows written up to the kill included.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/audit/digests", null)).StatusCode);
        var verification = await (await admin.PostAsync("/api/v1/audit/verify", null)).Content.ReadFromJsonAsync<AuditVerification>();
        Assert.True(verification!.Intact, verification.Problem);
        Assert.True(verification.EventsChecked > Acknowledged);
    }

    private static async Task<AppProcess> StartAsync(TempDirectory data, string url)
    {
        var app = AppProcess.Start("ControlPlane.Web", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ControlPlane__DataDirectory"] = data.Path,
            ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
            ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = AdminToken,
        }, data.Path);
        await Readiness.WaitAsync(url, app);
        return app;
    }

    private static HttpClient Client(string url)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }
}
