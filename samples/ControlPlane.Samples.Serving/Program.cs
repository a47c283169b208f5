using ControlPlane.Client;

// A serving app: model@alias scored locally, following the registry; predictions logged to ControlPlane.
var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("Serving").Get<ServingSettings>()
    ?? throw new InvalidOperationException("Configure Serving:Server, Serving:Token and Serving:Model.");
var app = builder.Build();

using var client = new ControlPlaneClient(new Uri(settings.Server), settings.Token);
await using var handle = await ModelHandle.OpenAsync(client, settings.Model, settings.Alias, new ModelHandleOptions
{
    CacheDirectory = settings.CacheDirectory,
    Mode = settings.Mode,
    ChallengerAlias = settings.ChallengerAlias,
    CanaryFraction = settings.CanaryFraction,
    FeatureNames = settings.FeatureNames,
    LoggerFactory = app.Services.GetRequiredService<ILoggerFactory>(),
}, app.Lifetime.ApplicationStopping);

app.MapPost("/score", (ScoreRequest request) =>
{
    if (request.Features is not { Length: > 0 })
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["features"] = ["One row of numbers."] });
    try
    {
        var p = handle.Predict(request.Features, request.Key);
        return Results.Ok(new ScoreResponse(p.PredictionId, p.Version, p.Variant.ToString().ToLowerInvariant(),
            p.Outputs.ToDictionary(o => o.Name, o => o.Values)));
    }
    catch (ArgumentException e)
    {
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["features"] = [e.Message] });
    }
});
app.MapGet("/healthz", () => Results.Ok(new
{
    model = handle.Model, alias = handle.Alias, version = handle.Version, challenger = handle.ChallengerVersion, offline = handle.Offline,
    loggedDropped = handle.Logger?.Dropped, loggedAccepted = handle.Logger?.Accepted,
}));

await app.RunAsync();

internal sealed record ScoreRequest(float[]? Features, string? Key);

internal sealed record ScoreResponse(string PredictionId, int Version, string Variant, Dictionary<string, Array> Outputs);

internal sealed class ServingSettings
{
    public required string Server { get; init; }
    public required string Token { get; init; }
    public required string Model { get; init; }
    public string Alias { get; init; } = "champion";
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "controlplane-model-cache");
    public ChallengerMode Mode { get; init; }
    public string ChallengerAlias { get; init; } = "challenger";
    public double CanaryFraction { get; init; }
    public string[]? FeatureNames { get; init; }
}
