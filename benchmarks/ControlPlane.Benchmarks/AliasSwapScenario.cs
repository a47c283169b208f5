using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.TestModels;

namespace ControlPlane.Benchmarks;

/// <summary>
/// An alias swap under load: the sample serving app (its own process, on ControlPlane.Client) serves model@live from a
/// real server process while a loopback load generator posts /score from <c>concurrency</c> loops; a third of the way in
/// the alias moves to v2. Prints requests/s, p50 and p99 before the move, from the move until the sample serves v2 plus
/// one second, and after; failures; and which versions answered. Both versions are the same MLP shape (20 → 64 → 64 → 2).
/// </summary>
internal static class AliasSwapScenario
{
    private const string Token = "cpat_alias-swap-benchmark-token-0123456789abc";
    private const string Password = "correct horse battery staple";

    public static async Task RunAsync(string webDll, string sampleDll, int seconds, int concurrency)
    {
        await using var server = await WebAppUnderTest.StartAsync(webDll, Token, new Dictionary<string, string>());
        var http = server.Http;
        (await http.PostAsJsonAsync("/api/v1/admin/users", new { userName = "swap", email = "swap@example.test", password = Password, roles = new[] { "DataScientist" } })).EnsureSuccessStatusCode();
        using var owner = new HttpClient { BaseAddress = http.BaseAddress };
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await IssueAsync(owner, null, null));
        const string model = "swap";
        (await owner.PostAsJsonAsync("/api/v1/models", new { name = model })).EnsureSuccessStatusCode();
        foreach (var seed in new[] { 1, 2 })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(HandBuiltOnnx.Mlp(HandBuiltOnnx.RandomLayers([20, 64, 64, 2], seed))), "file", "mlp.onnx" } };
            (await owner.PostAsync($"/api/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();
        }
        (await owner.PutAsJsonAsync($"/api/v1/models/{model}/aliases/live", new { version = 1, reason = "first" })).EnsureSuccessStatusCode();
        var servingToken = await IssueAsync(owner, ["read", "ingest"], [model]);

        var cache = Directory.CreateTempSubdirectory("cp-bench-swap-cache").FullName;
        var url = $"http://127.0.0.1:{6190 + Random.Shared.Next(1000)}";
        var info = new ProcessStartInfo("dotnet", [sampleDll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cache };
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url, ["Serving__Server"] = http.BaseAddress!.ToString(), ["Serving__Token"] = servingToken,
            ["Serving__Model"] = model, ["Serving__Alias"] = "live", ["Serving__CacheDirectory"] = cache, ["Logging__LogLevel__Default"] = "Warning",
        })
            info.Environment[k] = v;
        using var sample = Process.Start(info)!;
        sample.BeginOutputReadLine();
        sample.BeginErrorReadLine();
        try
        {
            using var serving = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url) };
            await WaitForVersionAsync(serving, 1, TimeSpan.FromSeconds(60));
            await MeasureAsync(serving, owner, model, seconds, concurrency);
            var health = await serving.GetFromJsonAsync<JsonElement>("/healthz");
            Console.WriteLine($"logged: accepted {health.GetProperty("loggedAccepted")}, dropped {health.GetProperty("loggedDropped")}");
        }
        finally
        {
            sample.Kill(entireProcessTree: true);
            await sample.WaitForExitAsync();
            Directory.Delete(cache, recursive: true);
        }
    }

    private static async Task MeasureAsync(HttpClient serving, HttpClient owner, string model, int seconds, int concurrency)
    {
        var calls = new ConcurrentQueue<(long Start, double Ms, bool Ok, int Version)>();
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        var features = Enumerable.Range(0, 20).Select(i => i / 20f).ToArray();
        var loops = Enumerable.Range(0, concurrency).Select(l => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < end; i++)
            {
                var start = clock.ElapsedTicks;
                try
                {
                    using var response = await serving.PostAsJsonAsync("/score", new { features, key = $"k{l}-{i}" });
                    var version = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32() : 0;
                    calls.Enqueue((start, Stopwatch.GetElapsedTime(0, clock.ElapsedTicks - start).TotalMilliseconds, response.IsSuccessStatusCode, version));
                }
                catch (HttpRequestException)
                {
                    calls.Enqueue((start, Stopwatch.GetElapsedTime(0, clock.ElapsedTicks - start).TotalMilliseconds, false, 0));
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0));
        var moved = clock.ElapsedTicks;
        (await owner.PutAsJsonAsync($"/api/v1/models/{model}/aliases/live", new { version = 2, reason = "swap under load" })).EnsureSuccessStatusCode();
        await WaitForVersionAsync(serving, 2, TimeSpan.FromSeconds(60));
        var swapped = clock.ElapsedTicks;
        await Task.WhenAll(loops);

        var settled = swapped + Stopwatch.Frequency;
        Console.WriteLine($"alias moved at {Seconds(moved):F1} s; the sample served v2 {Seconds(swapped) - Seconds(moved):F2} s later; {concurrency} loops, {seconds} s");
        Console.WriteLine("| phase | requests | requests/s | p50 ms | p99 ms | max ms | failures | answered by |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        var all = calls.ToList();
        Report("before the move", all.Where(c => c.Start < moved).ToList(), Seconds(moved));
        Report("move → serving v2 + 1 s", all.Where(c => c.Start >= moved && c.Start < settled).ToList(), Seconds(settled) - Seconds(moved));
        Report("after", all.Where(c => c.Start >= settled).ToList(), seconds - Seconds(settled));
    }

    private static void Report(string phase, List<(long Start, double Ms, bool Ok, int Version)> calls, double span)
    {
        var ms = calls.Select(c => c.Ms).Order().ToArray();
        double Quantile(double q) => ms.Length == 0 ? double.NaN : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
        var versions = string.Join(", ", calls.Where(c => c.Ok).GroupBy(c => c.Version).OrderBy(g => g.Key).Select(g => $"v{g.Key} {g.Count():N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {phase} | {calls.Count:N0} | {calls.Count / span:N0} | {Quantile(0.5):F2} | {Quantile(0.99):F2} | {(ms.Length == 0 ? 0 : ms[^1]):F1} | {calls.Count(c => !c.Ok)} | {versions} |"));
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static async Task WaitForVersionAsync(HttpClient serving, int version, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if ((await serving.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("version").GetInt32() == version)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the sample did not serve v{version} within {timeout}");
            await Task.Delay(50);
        }
    }

    private static async Task<string> IssueAsync(HttpClient http, string[]? scopes, string[]? models)
    {
        var response = await http.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = "swap", password = Password, name = "swap", expiresInDays = 1, scopes, models });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
