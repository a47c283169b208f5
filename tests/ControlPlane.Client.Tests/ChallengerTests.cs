using ControlPlane.TestSupport;

namespace ControlPlane.Client.Tests;

/// <summary>Shadow and canary traffic to model@challenger, and sticky canary routing.</summary>
[Collection(ServerCollection.Name)]
public sealed class ChallengerTests(RegistryServer server) : IDisposable
{
    private readonly TempDirectory _cache = new("cp-client-cache");

    [Fact]
    public void The_canary_share_of_10000_keys_is_within_the_binomial_99_9_percent_band_and_matches_an_independent_count()
    {
        const int Keys = 10_000;
        const double Fraction = 0.2;
        var routed = Enumerable.Range(0, Keys).Count(i => CanaryRouter.ToChallenger($"customer-{i}", Fraction));

        // 99.9 % two-sided: z = 3.2905; sd = sqrt(n p (1 - p)) = 40, so 2000 ± 131.6.
        var halfWidth = 3.2905 * Math.Sqrt(Keys * Fraction * (1 - Fraction));
        Assert.InRange(routed, Keys * Fraction - halfWidth, Keys * Fraction + halfWidth);
        // Python, hashlib: sum(int.from_bytes(sha256(f"customer-{i}".encode()).digest()[:8], "big") / 2**64 < 0.2 for i in range(10000))
        Assert.Equal(2050, routed);
    }

    [Theory]
    [InlineData("customer-1", 0.9072123087996947)] // values from Python's hashlib, as above
    [InlineData("alice", 0.1712650529798836)]
    [InlineData("Zoë", 0.775896465486027)]
    public void A_key_has_the_same_place_in_every_process(string key, double expected)
    {
        Assert.Equal(expected, CanaryRouter.Position(key), 12);
        Assert.Equal(expected < 0.5, CanaryRouter.ToChallenger(key, 0.5));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(expected < 0.5, CanaryRouter.ToChallenger(key, 0.5)));
        Assert.False(CanaryRouter.ToChallenger(key, 0));
        Assert.True(CanaryRouter.ToChallenger(key, 1));
    }

    [Fact]
    public async Task A_canary_sends_the_routed_keys_to_the_challenger_and_logs_them_as_canary()
    {
        using var ingest = new IngestEndpoint();
        using var sink = ingest.Client();
        var logger = new PredictionLogger(sink, "m", new PredictionLoggerOptions { BatchDelay = TimeSpan.FromMilliseconds(100) });
        var model = await ModelWithChallengerAsync(Models.Right);
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", Options(ChallengerMode.Canary, logger, 0.3));

        var answers = Enumerable.Range(0, 200).Select(i => (Key: $"k{i}", P: handle.Predict(Models.Row(i), key: $"k{i}"))).ToList();

        Assert.Equal(2, handle.ChallengerVersion);
        Assert.All(answers, a =>
        {
            var canary = CanaryRouter.ToChallenger(a.Key, 0.3);
            Assert.Equal(canary ? PredictionVariant.Canary : PredictionVariant.Primary, a.P.Variant);
            Assert.Equal(canary ? (2, 1L) : (1, 0L), (a.P.Version, Models.Label(a.P)));
        });
        Assert.Contains(answers, a => a.P.Variant == PredictionVariant.Canary);
        // The same key again goes the same way.
        Assert.All(answers.Take(20), a => Assert.Equal(a.P.Variant, handle.Predict(Models.Row(0), key: a.Key).Variant));
        await logger.DisposeAsync();
        var variants = ingest.Requests.SelectMany(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.EnumerateArray())
            .Select(r => (Id: r.GetProperty("predictionId").GetString(), Variant: r.GetProperty("variant").GetString())).ToDictionary(r => r.Id!, r => r.Variant);
        Assert.All(answers, a => Assert.Equal(a.P.Variant == PredictionVariant.Canary ? "canary" : "primary", variants[a.P.PredictionId]));
    }

    [Fact]
    public async Task A_shadow_scores_every_request_with_both_returns_the_champions_and_logs_both_under_one_id()
    {
        using var ingest = new IngestEndpoint();
        using var sink = ingest.Client();
        var logger = new PredictionLogger(sink, "m", new PredictionLoggerOptions { BatchDelay = TimeSpan.FromMilliseconds(100) });
        var model = await ModelWithChallengerAsync(Models.Right);
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", Options(ChallengerMode.Shadow, logger));

        var answers = Enumerable.Range(0, 50).Select(i => handle.Predict(Models.Row(i))).ToList();
        await ModelHandleTests.WaitForAsync(() => logger.Accepted == 100, TimeSpan.FromSeconds(30), "50 primary and 50 shadow records");

        Assert.All(answers, p => Assert.Equal((1, PredictionVariant.Primary, 0L), (p.Version, p.Variant, Models.Label(p))));
        var records = ingest.Requests.SelectMany(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.EnumerateArray()).ToList();
        foreach (var p in answers)
        {
            var pair = records.Where(r => r.GetProperty("predictionId").GetString() == p.PredictionId)
                .ToDictionary(r => r.GetProperty("variant").GetString()!, r => (r.GetProperty("version").GetInt32(), r.GetProperty("outputs").GetProperty("label").GetString()));
            Assert.Equal((1, "0"), pair["primary"]);
            Assert.Equal((2, "1"), pair["shadow"]);
        }
        await logger.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_challenger_never_fails_a_request_in_shadow_or_canary()
    {
        var model = await ModelWithChallengerAsync(Models.Incompatible);
        using var client = server.Client();
        await using var shadow = await ModelHandle.OpenAsync(client, model, "live", Options(ChallengerMode.Shadow, null));
        await using var canary = await ModelHandle.OpenAsync(client, model, "live", Options(ChallengerMode.Canary, null, 1.0));

        var answers = Enumerable.Range(0, 20).SelectMany(i => new[] { shadow.Predict(Models.Row(i)), canary.Predict(Models.Row(i), key: $"k{i}") }).ToList();

        Assert.All(answers, p => Assert.Equal((1, PredictionVariant.Primary, 0L), (p.Version, p.Variant, Models.Label(p))));
        Assert.Equal(20, canary.ChallengerFailures);
        await ModelHandleTests.WaitForAsync(() => shadow.ChallengerFailures == 20, TimeSpan.FromSeconds(30), "the 20 shadow runs to fail in the background");
    }

    public void Dispose() => _cache.Dispose();

    private async Task<string> ModelWithChallengerAsync(byte[] challenger)
    {
        var model = await server.CreateModelAsync("ab");
        await server.RegisterAsync(model, Models.Left);
        await server.RegisterAsync(model, challenger);
        await server.SetAliasAsync(model, "live", 1);
        await server.SetAliasAsync(model, "challenger", 2);
        return model;
    }

    private ModelHandleOptions Options(ChallengerMode mode, PredictionLogger? logger, double fraction = 0) => new()
    {
        CacheDirectory = _cache.Path, Mode = mode, CanaryFraction = fraction,
        PredictionLogger = logger, LogPredictions = logger is not null,
    };
}
