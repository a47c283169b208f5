using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using Xunit.Abstractions;

namespace ControlPlane.Integration.Tests.Production;

/// <summary>
/// The sample serving app (samples/ControlPlane.Samples.Serving, built on ControlPlane.Client) as its own process
/// against the real server process: it serves model@live, moves to the new version when the alias moves, and its
/// prediction logs pass the server's ingest checks and land as telemetry files.
/// </summary>
public sealed class ServingSampleTests(ITestOutputHelper output)
{
    private const string AdminToken = "cpat_serving-sample-admin-token-0123456789abc";
    private static readonly float[][] Weights = [[0.1f, -0.1f], [0.2f, 0.1f], [-0.1f, 0.3f]];

    [Fact]
    public async Task The_sample_follows_the_alias_to_the_new_version_and_its_predictions_are_accepted_and_stored()
    {
        await using var web = await WebAppProcess.StartAsync(AdminToken);
        using var admin = web.Admin();
        // The model's owner, a data scientist, registers it and issues the serving app a read + ingest token for it.
        (await admin.PostAsJsonAsync("/api/v1/admin/users", new { userName = "dana", email = "dana@example.test", password = Password, roles = new[] { "DataScientist" } })).EnsureSuccessStatusCode();
        using var owner = new HttpClient { BaseAddress = new Uri(web.Url) };
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await IssueAsync(owner, null, null));
        const string model = "scoring";
        (await owner.PostAsJsonAsync("/api/v1/models", new { name = model })).EnsureSuccessStatusCode();
        await RegisterAsync(owner, model, HandBuiltOnnx.SoftmaxClassifier(Weights, [20f, 0f])); // v1 says class 0
        await RegisterAsync(owner, model, HandBuiltOnnx.SoftmaxClassifier(Weights, [0f, 20f])); // v2 says class 1
        await SetAliasAsync(owner, model, 1);
        var token = await IssueAsync(owner, ["read", "ingest"], [model]);

        using var cache = new TempDirectory("cp-sample-cache");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var sample = AppProcess.StartDll(SampleDll(), new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["Serving__Server"] = web.Url,
            ["Serving__Token"] = token,
            ["Serving__Model"] = model,
            ["Serving__Alias"] = "live",
            ["Serving__CacheDirectory"] = cache.Path,
        }, cache.Path);
        await sample.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60));
        using var serving = new HttpClient { BaseAddress = new Uri(url) };

        for (var i = 0; i < 10; i++)
            Assert.Equal((1, 0L), await ScoreAsync(serving, i));
        await SetAliasAsync(owner, model, 2);
        await Eventually.GetAsync(async () => (await HealthAsync(serving)).GetProperty("version").GetInt32() == 2 ? "v2" : null,
            TimeSpan.FromSeconds(60), "the sample to serve v2");
        for (var i = 0; i < 10; i++)
            Assert.Equal((2, 1L), await ScoreAsync(serving, i));

        // Every logged prediction was accepted by the server's checks (the sample's logger counts the server's answers).
        await Eventually.GetAsync(async () => (await HealthAsync(serving)).GetProperty("loggedAccepted").GetInt64() == 20 ? "all" : null,
            TimeSpan.FromSeconds(60), "20 predictions to be accepted");
        var health = await HealthAsync(serving);
        Assert.Equal(0, health.GetProperty("loggedDropped").GetInt64());
        var files = Directory.GetFiles(Path.Combine(web.DataDirectory, "artifacts", "telemetry", $"model={model}", "kind=predictions"), "*.parquet", SearchOption.AllDirectories);
        output.WriteLine($"{files.Length} prediction files: {string.Join(", ", files.Select(Path.GetFileName))}");
        Assert.NotEmpty(files);
    }

    private const string Password = "correct horse battery staple";

    private static async Task<string> IssueAsync(HttpClient http, string[]? scopes, string[]? models)
    {
        var response = await http.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = "dana", password = Password, name = "serving", expiresInDays = 1, scopes, models });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static string SampleDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var path = Path.Combine(RepoPaths.Root, "samples", "ControlPlane.Samples.Serving", "bin", configuration, "net10.0", "ControlPlane.Samples.Serving.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the sample first ({configuration}); expected {path}.");
    }

    private static async Task<(int Version, long Label)> ScoreAsync(HttpClient serving, int i)
    {
        var response = await serving.PostAsJsonAsync("/score", new { features = new[] { i % 7 * 0.1f, -0.5f + i % 3, 0.25f }, key = $"customer-{i}" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("version").GetInt32(), body.GetProperty("outputs").GetProperty("label")[0].GetInt64());
    }

    private static async Task<JsonElement> HealthAsync(HttpClient serving) => await serving.GetFromJsonAsync<JsonElement>("/healthz");

    private static async Task RegisterAsync(HttpClient admin, string model, byte[] onnx)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        var response = await admin.PostAsync($"/api/v1/models/{model}/versions", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task SetAliasAsync(HttpClient admin, string model, int version) =>
        (await admin.PutAsJsonAsync($"/api/v1/models/{model}/aliases/live", new { version, reason = $"serve v{version}" })).EnsureSuccessStatusCode();
}
