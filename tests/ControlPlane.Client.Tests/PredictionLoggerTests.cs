using System.Net;
using System.Text.Json;
using ControlPlane.TestSupport;

namespace ControlPlane.Client.Tests;

/// <summary>The prediction logger against real HTTP endpoints: one that stalls, one that throttles, and the record's wire shape.</summary>
[Collection(ServerCollection.Name)]
public sealed class PredictionLoggerTests(RegistryServer server) : IDisposable
{
    private readonly TempDirectory _cache = new("cp-client-cache");

    [Fact]
    public async Task When_the_ingest_server_stalls_predictions_go_on_and_what_does_not_fit_is_dropped_and_counted()
    {
        using var ingest = new IngestEndpoint { Stall = true };
        using var sink = ingest.Client();
        var logger = new PredictionLogger(sink, "any", new PredictionLoggerOptions
        {
            Capacity = 50, BatchSize = 10, BatchDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 1,
            RequestTimeout = TimeSpan.FromMinutes(5), FlushTimeout = TimeSpan.FromMilliseconds(500),
        });
        var model = await ModelAsync();
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", new ModelHandleOptions { CacheDirectory = _cache.Path, PredictionLogger = logger });
        var early = 0;
        await ModelHandleTests.WaitForAsync(() => { handle.Predict(Models.Row(early++)); return ingest.Held == 1; }, TimeSpan.FromSeconds(30), "the first batch to reach the stalled server");

        const int Total = 2000;
        var predicted = 0;
        for (var i = 0; i < Total; i++)
            predicted += handle.Predict(Models.Row(i)).Version;

        // All 2000 answered while the one request the server took is still unanswered: Predict never waited on it.
        Assert.Equal(Total, predicted);
        Assert.Equal(1, ingest.Held);
        Assert.Single(ingest.Requests);
        // At most one batch (10) in flight and the buffer (50) hold records; the rest were dropped at once.
        Assert.InRange(logger.Dropped, early + Total - 60, early + Total);
        Assert.Equal(0, logger.Accepted);

        await logger.DisposeAsync();
        // Disposal waits its flush timeout, then gives up on the held batch and the buffer: every record is counted once.
        Assert.Equal(early + Total, logger.Dropped + logger.Abandoned);
    }

    [Fact]
    public async Task A_throttled_batch_is_sent_again_after_retry_after_and_records_keep_the_ingest_contract()
    {
        using var ingest = new IngestEndpoint { Answer = n => n == 1 ? (HttpStatusCode.TooManyRequests, 1) : (HttpStatusCode.OK, null) };
        using var sink = ingest.Client();
        var logger = new PredictionLogger(sink, "credit", new PredictionLoggerOptions { BatchSize = 3, BatchDelay = TimeSpan.FromSeconds(5) });
        var model = await ModelAsync();
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", new ModelHandleOptions
        {
            CacheDirectory = _cache.Path, PredictionLogger = logger, FeatureNames = ["income", "age", "debt"], ClassNames = ["good", "bad"],
        });

        var predictions = Enumerable.Range(0, 3).Select(i => handle.Predict(Models.Row(i), tags: new Dictionary<string, string> { ["region"] = "eu" })).ToList();
        await ModelHandleTests.WaitForAsync(() => logger.Accepted == 3, TimeSpan.FromSeconds(30), "the batch to be accepted on the second try");

        var requests = ingest.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/api/v1/models/credit/predictions", r.Path));
        Assert.Equal(requests[0].Body, requests[1].Body);
        var records = JsonDocument.Parse(requests[1].Body).RootElement.EnumerateArray().ToList();
        Assert.Equal(predictions.Select(p => p.PredictionId), records.Select(r => r.GetProperty("predictionId").GetString()));
        var first = records[0];
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal("primary", first.GetProperty("variant").GetString());
        // Row(0) = [0, -0.5, 0.25], written as the floats they are.
        Assert.Equal("""{"income":0,"age":-0.5,"debt":0.25}""", first.GetProperty("features").GetRawText());
        var outputs = first.GetProperty("outputs");
        Assert.Equal("good", outputs.GetProperty("label").GetString());
        var p = predictions[0]["probabilities"].Floats;
        Assert.Equal(p[1], outputs.GetProperty("score").GetSingle());
        Assert.Equal(p[0], outputs.GetProperty("probabilities").GetProperty("good").GetSingle());
        Assert.Equal("eu", first.GetProperty("tags").GetProperty("region").GetString());
        Assert.True(first.GetProperty("latencyMs").GetDouble() >= 0);
        Assert.Equal(DateTimeKind.Utc, first.GetProperty("timestamp").GetDateTime().Kind);
        Assert.Equal(0, logger.Dropped);
        await logger.DisposeAsync();
    }

    public void Dispose() => _cache.Dispose();

    private async Task<string> ModelAsync()
    {
        var model = await server.CreateModelAsync("logged");
        await server.RegisterAsync(model, Models.Left);
        await server.SetAliasAsync(model, "live", 1);
        return model;
    }
}
