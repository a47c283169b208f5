using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Client;

/// <summary>
/// A model to serve, named as model@alias: scores locally with ONNX Runtime, follows the alias (the new version is
/// loaded and warmed in the background and swapped in without failing a request; the old one is disposed when its
/// last call ends), logs every prediction to the ingest API without ever blocking, and optionally shadows or
/// canaries a challenger alias. Thread-safe: share one handle across requests.
/// </summary>
public sealed class ModelHandle : IAsyncDisposable
{
    private readonly ModelHandleOptions _options;
    private readonly AliasFollower _champion;
    private readonly AliasFollower? _challenger;
    private readonly PredictionLogger? _logger;
    private readonly bool _ownsLogger;
    private readonly ILogger _log;
    private long _challengerFailures;

    private ModelHandle(ControlPlaneClient client, string model, string alias, ModelHandleOptions options)
    {
        Model = model;
        Alias = alias;
        _options = options;
        if (options.Mode == ChallengerMode.Canary && options.CanaryFraction is < 0 or > 1 or double.NaN)
            throw new ArgumentOutOfRangeException(nameof(options), options.CanaryFraction, "CanaryFraction is a share from 0 to 1.");
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _log = loggers.CreateLogger<ModelHandle>();
        var cache = new ArtifactCache(options.CacheDirectory);
        _champion = new AliasFollower(client, cache, model, alias, isChallenger: false, options, loggers.CreateLogger<AliasFollower>());
        if (options.Mode != ChallengerMode.None)
            _challenger = new AliasFollower(client, cache, model, options.ChallengerAlias, isChallenger: true, options, loggers.CreateLogger<AliasFollower>());
        if (options.LogPredictions)
        {
            _ownsLogger = options.PredictionLogger is null;
            _logger = options.PredictionLogger ?? new PredictionLogger(client, model, options.PredictionLoggerOptions, loggers.CreateLogger<PredictionLogger>(), options.Time);
        }
    }

    public string Model { get; }
    public string Alias { get; }
    /// <summary>The version serving primary traffic now.</summary>
    public int Version => _champion.Current?.Version ?? 0;
    public int? ChallengerVersion => _challenger?.Current?.Version;
    /// <summary>Versions that failed to download, verify or load (and so were never swapped in).</summary>
    public long FailedLoads => _champion.FailedLoads + (_challenger?.FailedLoads ?? 0);
    public long Swaps => _champion.Swaps;
    /// <summary>Challenger runs (shadow or canary) that threw; none of them failed a request.</summary>
    public long ChallengerFailures => Interlocked.Read(ref _challengerFailures);
    /// <summary>True while serving from the cache because the server could not be reached.</summary>
    public bool Offline => _champion.Offline;
    public PredictionLogger? Logger => _logger;

    /// <summary>Resolves the alias (or takes the cache's last target when the server is down), loads it, and starts following.</summary>
    public static async Task<ModelHandle> OpenAsync(ControlPlaneClient client, string model, string alias, ModelHandleOptions options, CancellationToken ct = default)
    {
        var handle = new ModelHandle(client, model, alias, options);
        try
        {
            await handle._champion.StartAsync(ct);
            if (handle._challenger is not null)
                await handle._challenger.StartAsync(ct);
            return handle;
        }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }

    /// <summary>Scores one feature row (the model's single [N, F] input as [1, F]). <paramref name="key"/> routes a canary.</summary>
    public Prediction Predict(float[] features, string? key = null, IReadOnlyDictionary<string, string>? tags = null) =>
        Score(new Request(features, null, key, tags));

    /// <summary>Scores named float tensors (any batch); each row is logged as its own record.</summary>
    public Prediction Predict(IReadOnlyList<ModelInput> inputs, string? key = null, IReadOnlyDictionary<string, string>? tags = null) =>
        Score(new Request(null, inputs, key, tags));

    public async ValueTask DisposeAsync()
    {
        await _champion.DisposeAsync();
        if (_challenger is not null)
            await _challenger.DisposeAsync();
        if (_ownsLogger && _logger is not null)
            await _logger.DisposeAsync();
    }

    private Prediction Score(Request request)
    {
        var id = Guid.CreateVersion7().ToString();
        if (_options.Mode == ChallengerMode.Canary && request.Key is { } key && CanaryRouter.ToChallenger(key, _options.CanaryFraction)
            && _challenger?.Acquire() is { } canary)
        {
            try
            {
                return Run(canary, request, id, PredictionVariant.Canary);
            }
            catch (Exception e) // the champion answers instead; input that is bad for both fails there
            {
                Interlocked.Increment(ref _challengerFailures);
                _log.LogWarning(e, "The canary {Model}@{Alias} v{Version} failed; the champion answers", Model, _options.ChallengerAlias, canary.Version);
            }
            finally
            {
                canary.Release();
            }
        }
        var session = _champion.Acquire() ?? throw new InvalidOperationException($"{Model}@{Alias} has no version loaded.");
        Prediction answer;
        try
        {
            answer = Run(session, request, id, PredictionVariant.Primary);
        }
        finally
        {
            session.Release();
        }
        if (_options.Mode == ChallengerMode.Shadow && _challenger?.Current is not null)
        {
            var copy = request.Copy();
            ThreadPool.UnsafeQueueUserWorkItem(_ => Shadow(copy, id), null);
        }
        return answer;
    }

    private void Shadow(Request request, string id)
    {
        if (_challenger?.Acquire() is not { } shadow)
            return;
        try
        {
            Run(shadow, request, id, PredictionVariant.Shadow);
        }
        catch (Exception e) // a shadow never reaches the caller
        {
            Interlocked.Increment(ref _challengerFailures);
            _log.LogDebug(e, "The shadow {Model}@{Alias} v{Version} failed", Model, _options.ChallengerAlias, shadow.Version);
        }
        finally
        {
            shadow.Release();
        }
    }

    /// <summary>Runs and logs; a failed run is logged with its error and rethrown.</summary>
    private Prediction Run(ServingSession session, Request request, string id, PredictionVariant variant)
    {
        var started = Stopwatch.GetTimestamp();
        ModelOutput[] outputs;
        try
        {
            outputs = request.Row is { } row ? session.RunRow(row) : session.Run(request.Inputs!);
        }
        catch (Exception e)
        {
            Log(session, request, id, variant, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
            throw;
        }
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log(session, request, id, variant, outputs, latency, null);
        return new Prediction(id, session.Version, variant, outputs, latency);
    }

    private void Log(ServingSession session, Request request, string id, PredictionVariant variant, ModelOutput[]? outputs, double latency, string? error)
    {
        if (_logger is null)
            return;
        if (_logger.IsFull)
        {
            _logger.CountDropped();
            return;
        }
        var at = _options.Time.GetUtcNow();
        if (request.Row is { } row)
        {
            _logger.TryLog(PredictionRecords.Row(id, at, session.Version, session.Target.Alias, variant, _options.FeatureNames ?? session.DefaultFeatureNames,
                (float[])row.Clone(), outputs, 0, latency, error, _options.ClassNames, request.Tags));
            return;
        }
        // A single [N, F] input logs its rows' features; other input shapes log outputs only.
        var input = request.Inputs!.Count == 1 && request.Inputs[0].Shape is [var n, var f] ? request.Inputs[0] : (ModelInput?)null;
        var rows = input is { } one ? (int)one.Shape[0] : outputs?.Select(o => o.Rows).DefaultIfEmpty(1).Max() ?? 1;
        var names = input is { } i ? _options.FeatureNames ?? (i.Shape[1] == session.FeatureCount ? session.DefaultFeatureNames
            : [.. Enumerable.Range(0, (int)i.Shape[1]).Select(j => $"{i.Name}_{j}")]) : null;
        for (var r = 0; r < rows; r++)
        {
            var features = input is { } x ? x.Data.AsSpan(r * (int)x.Shape[1], (int)x.Shape[1]).ToArray() : null;
            _logger.TryLog(PredictionRecords.Row(rows == 1 ? id : $"{id}:{r}", at, session.Version, session.Target.Alias, variant, names, features, outputs, r,
                latency / rows, error, _options.ClassNames, request.Tags));
        }
    }

    /// <summary>One call's inputs: a feature row or named tensors.</summary>
    private readonly record struct Request(float[]? Row, IReadOnlyList<ModelInput>? Inputs, string? Key, IReadOnlyDictionary<string, string>? Tags)
    {
        /// <summary>The caller may reuse its buffers once Predict returns; a shadow runs later, on copies.</summary>
        public Request Copy() => this with
        {
            Row = (float[]?)Row?.Clone(),
            Inputs = Inputs?.Select(i => i with { Data = (float[])i.Data.Clone() }).ToArray(),
        };
    }
}
