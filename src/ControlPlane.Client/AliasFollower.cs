using System.Net;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Client;

/// <summary>
/// Keeps one alias's version loaded: resolves it (or, with the server down, takes the cache's last target), then
/// long-polls the server for moves. A move loads and warms the new version beside the old one and swaps it in
/// atomically; a version that fails to download, verify or load never replaces the working one and is retried
/// with back-off.
/// </summary>
internal sealed class AliasFollower(ControlPlaneClient client, ArtifactCache cache, string model, string alias, bool isChallenger,
    ModelHandleOptions options, ILogger log) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private ServingSession? _current;
    private string? _etag;
    private Task _loop = Task.CompletedTask;
    private long _failedLoads, _swaps;
    private readonly HashSet<(int Version, string Sha256)> _reported = [];

    public string Alias => alias;
    public ServingSession? Current => Volatile.Read(ref _current);
    public long FailedLoads => Interlocked.Read(ref _failedLoads);
    public long Swaps => Interlocked.Read(ref _swaps);
    public string? LastError { get; private set; }
    /// <summary>True while the served version came from the cache because the server could not be reached.</summary>
    public bool Offline { get; private set; }

    public async Task StartAsync(CancellationToken ct)
    {
        AliasTarget? target = null;
        try
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
            call.CancelAfter(TimeSpan.FromSeconds(15));
            target = await client.GetAliasAsync(model, alias, call.Token);
        }
        catch (ControlPlaneApiException e) when (isChallenger && e.Status == HttpStatusCode.NotFound)
        {
            log.LogInformation("{Model}@{Alias} does not exist yet; following it for when it does", model, alias);
        }
        catch (Exception e) when (IsUnreachable(e, ct))
        {
            target = await cache.LastTargetAsync(model, alias, ct);
            if (target is null && !isChallenger)
                throw new InvalidOperationException($"The server {client.Server} cannot be reached and the cache {cache.Directory} holds no version of {model}@{alias}.", e);
            log.LogWarning(e, "The server cannot be reached; serving {Model}@{Alias} v{Version} from the cache", model, alias, target?.Version);
            Offline = true;
        }
        if (target is not null)
        {
            try
            {
                await LoadAsync(target, ct);
                _etag = Offline ? null : target.ETag;
            }
            catch (Exception e) when (isChallenger && e is not OperationCanceledException)
            {
                log.LogWarning(e, "The challenger {Model}@{Alias} v{Version} could not be loaded; retrying", model, alias, target.Version);
            }
        }
        _loop = Task.Run(WatchAsync, CancellationToken.None);
    }

    /// <summary>The current session with a reference taken (release it), or null when none is loaded.</summary>
    public ServingSession? Acquire()
    {
        while (Volatile.Read(ref _current) is { } session)
        {
            if (session.TryAcquire())
                return session;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Interlocked.Exchange(ref _current, null)?.Release();
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        var delay = options.FirstRetryDelay;
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                call.CancelAfter(options.WatchWait + TimeSpan.FromSeconds(30)); // a dead connection must not hang the loop
                var target = await client.WatchAliasAsync(model, alias, _etag, options.WatchWait, call.Token);
                Offline = false;
                if (target is not null)
                {
                    if (Current is not { } current || current.Version != target.Version || current.Target.Sha256 != target.Sha256)
                        await LoadAsync(target, _stop.Token);
                    _etag = target.ETag;
                }
                delay = options.FirstRetryDelay;
                continue;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ControlPlaneApiException e) when (e.Status == HttpStatusCode.NotFound)
            {
                // A removed challenger stops taking traffic; a removed champion alias keeps serving its last version.
                if (isChallenger)
                    Interlocked.Exchange(ref _current, null)?.Release();
                _etag = null;
                LastError = e.Message;
                log.LogWarning("{Model}@{Alias}: {Error}", model, alias, e.Message);
            }
            catch (Exception e)
            {
                retryAfter = (e as ControlPlaneApiException)?.RetryAfter;
                LastError = e.Message;
                log.LogWarning(e, "Following {Model}@{Alias} failed; still serving v{Version}; retrying", model, alias, Current?.Version);
            }
            try
            {
                await Task.Delay(retryAfter ?? delay * (0.8 + 0.4 * Random.Shared.NextDouble()), options.Time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Downloads (verified), loads and warms off the request path, then swaps; the old session goes when its last call ends.</summary>
    private async Task LoadAsync(AliasTarget target, CancellationToken ct)
    {
        ServingSession next;
        try
        {
            var path = await cache.EnsureAsync(client, model, target, ct);
            next = await Task.Run(() => ServingSession.Load(path, target, options.SessionOptions), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failedLoads);
            log.LogError(e, "{Model}@{Alias} v{Version} was not loaded; the version in service stays", model, alias, target.Version);
            if (options.ReportLoadFailures)
                _ = ReportAsync(target, e);
            throw;
        }
        var old = Interlocked.Exchange(ref _current, next);
        if (old is not null)
        {
            old.Release();
            Interlocked.Increment(ref _swaps);
            log.LogInformation("{Model}@{Alias} now serves v{Version} (was v{Old})", model, alias, target.Version, old.Version);
        }
        try
        {
            await cache.RememberAsync(model, alias, target, ct);
        }
        catch (IOException e)
        {
            log.LogWarning(e, "Could not remember {Model}@{Alias} in the cache", model, alias);
        }
    }

    /// <summary>Once per version and process, off the load path: a failed report is only logged (the retries go on regardless).</summary>
    private async Task ReportAsync(AliasTarget target, Exception failure)
    {
        lock (_reported)
        {
            if (!_reported.Add((target.Version, target.Sha256)))
                return;
        }
        try
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            call.CancelAfter(TimeSpan.FromSeconds(30));
            await client.ReportLoadFailureAsync(model, target.Version, alias, failure.Message, options.InstanceName, call.Token);
        }
        catch (Exception e)
        {
            lock (_reported)
                _reported.Remove((target.Version, target.Sha256)); // tried again on the next failed load
            log.LogWarning(e, "Could not report the failed load of {Model} v{Version} to the server", model, target.Version);
        }
    }

    private static bool IsUnreachable(Exception e, CancellationToken ct) =>
        e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested)
        || (e is ControlPlaneApiException api && (int)api.Status >= 500);
}
