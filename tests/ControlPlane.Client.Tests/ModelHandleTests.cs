using System.Collections.Concurrent;
using ControlPlane.TestSupport;

namespace ControlPlane.Client.Tests;

/// <summary>A handle following model@live on the real server: swaps, swaps under load, and tampered downloads.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelHandleTests(RegistryServer server) : IDisposable
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _cache = new("cp-client-cache");

    [Fact]
    public async Task The_handle_serves_the_alias_and_swaps_to_the_new_version_within_the_long_poll()
    {
        var model = await ModelOnLeftAsync();
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", Options());
        var before = handle.Predict(Models.Row(1));
        Assert.Equal((1, 0L), (before.Version, Models.Label(before)));
        // One row in: the softmax classifier's outputs are probabilities [1, 2] and label [1].
        Assert.Equal([1L, 2L], before["probabilities"].Shape);
        Assert.Equal([1L], before["label"].Shape);
        Assert.NotSame(before["label"].Shape, handle.Predict(Models.Row(1))["label"].Shape); // callers may keep or change it

        await server.SetAliasAsync(model, "live", 2);

        await WaitForAsync(() => handle.Version == 2, LongPoll, "the swap to v2");
        var after = handle.Predict(Models.Row(1));
        Assert.Equal((2, 1L), (after.Version, Models.Label(after)));
        Assert.Equal(1, handle.Swaps);
        Assert.Equal(0, handle.FailedLoads);
    }

    [Fact]
    public async Task A_steady_request_loop_sees_no_failure_and_every_answer_from_one_version_through_a_swap()
    {
        var model = await ModelOnLeftAsync();
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", Options());
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<Exception>();
        var seen = new ConcurrentQueue<(int Thread, int Version, long Label)>[4];
        var loops = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            seen[t] = new();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var p = handle.Predict(Models.Row(i));
                    seen[t].Enqueue((t, p.Version, Models.Label(p)));
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            }
        })).ToArray();

        await WaitForAsync(() => seen.All(s => s?.Count > 100), LongPoll, "requests on v1");
        await server.SetAliasAsync(model, "live", 2);
        await WaitForAsync(() => handle.Version == 2, LongPoll, "the swap to v2");
        var atSwap = seen.Select(s => s.Count).ToArray();
        await WaitForAsync(() => seen.Select((s, t) => s.Count - atSwap[t]).All(n => n > 100), LongPoll, "requests after the swap");
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.Empty(failures);
        foreach (var thread in seen)
        {
            var answers = thread.ToList();
            // Each answer is wholly one version's (v1 says class 0, v2 class 1), and once a thread sees v2 it never sees v1.
            Assert.All(answers, a => Assert.Equal(a.Version == 1 ? 0 : 1, a.Label));
            var firstNew = answers.FindIndex(a => a.Version == 2);
            Assert.True(firstNew > 0, "the thread saw both versions");
            Assert.All(answers.Take(firstNew), a => Assert.Equal(1, a.Version));
            Assert.All(answers.Skip(firstNew), a => Assert.Equal(2, a.Version));
        }
    }

    [Fact]
    public async Task A_tampered_download_never_enters_the_cache_or_replaces_the_working_version_and_is_retried()
    {
        var model = await ModelOnLeftAsync();
        var tamper = new TamperingHandler($"/api/v1/models/{model}/versions/2/artifact");
        using var client = server.Client(tamper);
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", Options());
        var rightSha = Sha(Models.Right);

        await server.SetAliasAsync(model, "live", 2);
        await WaitForAsync(() => handle.FailedLoads >= 2, LongPoll, "the tampered v2 to be refused twice (a retry)");

        Assert.Equal(1, handle.Version);
        Assert.Equal(0, Models.Label(handle.Predict(Models.Row(2))));
        Assert.False(File.Exists(Path.Combine(_cache.Path, $"{rightSha}.onnx")));
        Assert.Empty(Directory.GetFiles(_cache.Path, "*.tmp"));

        tamper.Enabled = false;
        await WaitForAsync(() => handle.Version == 2, LongPoll, "v2 once it downloads intact");
        Assert.True(File.Exists(Path.Combine(_cache.Path, $"{rightSha}.onnx")));
        Assert.Equal(1, Models.Label(handle.Predict(Models.Row(2))));
    }

    [Fact]
    public async Task A_version_the_handle_cannot_load_never_replaces_the_working_one()
    {
        var model = await server.CreateModelAsync("served");
        await server.RegisterAsync(model, Models.Left);
        await server.RegisterAsync(model, ControlPlane.TestModels.HandBuiltOnnx.CastInt64ToFloat()); // an int64 input: not servable here
        await server.SetAliasAsync(model, "live", 1);
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", Options());

        await server.SetAliasAsync(model, "live", 2);
        await WaitForAsync(() => handle.FailedLoads >= 2, LongPoll, "v2 to be refused twice (a retry)");

        Assert.Equal(1, handle.Version);
        Assert.Equal(0, Models.Label(handle.Predict(Models.Row(3))));
        // The server heard of it once, however often the handle retried: on v2's trail, naming the alias and the reason.
        var v2 = await client.GetVersionAsync(model, 2);
        using var admin = server.Admin();
        var reports = await WaitForReportsAsync(admin, v2.Id);
        var report = Assert.Single(reports);
        Assert.StartsWith($"{model} v2 failed to load on {Environment.MachineName} (following @live): ", report.GetProperty("reason").GetString());
        Assert.Contains("int64", report.GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<System.Text.Json.JsonElement>> WaitForReportsAsync(HttpClient admin, Guid versionId)
    {
        var query = $"/api/v1/audit?action=serving.load_failed&entityType=modelVersion&entityId={versionId}";
        for (var until = DateTime.UtcNow + LongPoll; ; await Task.Delay(100))
        {
            var page = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(admin, query);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            if (items.Count > 0 || DateTime.UtcNow > until)
                return items;
        }
    }

    [Fact]
    public async Task With_the_server_down_at_start_the_handle_serves_the_cached_version_and_without_a_cache_it_says_why()
    {
        var model = await ModelOnLeftAsync();
        using (var client = server.Client())
        await using (var first = await ModelHandle.OpenAsync(client, model, "live", Options()))
            Assert.Equal(1, first.Version);

        using var down = new ControlPlaneClient(new Uri($"http://127.0.0.1:{FreePort.Next()}/"), RegistryServer.Token);
        await using var offline = await ModelHandle.OpenAsync(down, model, "live", Options());
        Assert.True(offline.Offline);
        var p = offline.Predict(Models.Row(4));
        Assert.Equal((1, 0L), (p.Version, Models.Label(p)));

        using var empty = new TempDirectory("cp-client-empty");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ModelHandle.OpenAsync(down, model, "live", Options(empty.Path)));
        Assert.Contains("holds no version", refused.Message);
    }

    [Fact]
    public async Task An_ml_net_version_is_refused_with_a_reason()
    {
        var model = await server.CreateModelAsync("mlnet");
        await server.RegisterAsync(model, ControlPlane.TestModels.MlNetModels.TrainBinaryClassifier().Zip, "model.zip");
        await server.SetAliasAsync(model, "live", 1);
        using var client = server.Client();

        var refused = await Assert.ThrowsAsync<UnservableModelException>(() => ModelHandle.OpenAsync(client, model, "live", Options()));
        Assert.Contains("serves ONNX only", refused.Message);
    }

    public void Dispose() => _cache.Dispose();

    private async Task<string> ModelOnLeftAsync()
    {
        var model = await server.CreateModelAsync("served");
        await server.RegisterAsync(model, Models.Left);
        await server.RegisterAsync(model, Models.Right);
        await server.SetAliasAsync(model, "live", 1);
        return model;
    }

    private ModelHandleOptions Options(string? cache = null) => new()
    {
        CacheDirectory = cache ?? _cache.Path,
        WatchWait = LongPoll,
        FirstRetryDelay = TimeSpan.FromMilliseconds(200),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
        LogPredictions = false,
    };

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        await Eventually.GetAsync(() => Task.FromResult(condition() ? "" : null), timeout, what);
}

/// <summary>Flips one byte of the body of responses to one path while enabled: a corrupt download as seen on the wire.</summary>
internal sealed class TamperingHandler(string path) : DelegatingHandler
{
    public volatile bool Enabled = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        if (!Enabled || request.RequestUri?.AbsolutePath != path || !response.IsSuccessStatusCode)
            return response;
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        body[body.Length / 2] ^= 0xFF;
        var tampered = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
            tampered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = tampered;
        return response;
    }
}
