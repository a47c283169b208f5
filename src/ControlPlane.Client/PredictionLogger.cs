using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Client;

public sealed class PredictionLoggerOptions
{
    /// <summary>Records held while the server is slow or away; past this new records are dropped (and counted).</summary>
    public int Capacity { get; set; } = 10_000;
    public int BatchSize { get; set; } = 500;
    /// <summary>How long a partial batch waits for more records before it is sent.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromSeconds(1);
    public int MaxAttempts { get; set; } = 6;
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long disposal waits to send what is buffered.</summary>
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Sends prediction records to the ingest API from a bounded in-memory buffer, in batches, in the background.
/// <see cref="TryLog"/> never waits: when the buffer is full the record is dropped and counted in <see cref="Dropped"/>.
/// Failed batches are retried with exponential back-off (honouring Retry-After); a batch still failing after
/// <see cref="PredictionLoggerOptions.MaxAttempts"/>, or refused as a whole (4xx), is counted in <see cref="Abandoned"/>.
/// </summary>
public sealed class PredictionLogger : IAsyncDisposable
{
    private readonly ControlPlaneClient _client;
    private readonly string _model;
    private readonly PredictionLoggerOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Channel<PredictionRecord> _channel;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _pump;
    private readonly PredictionJson.Writer _json = new();
    private long _dropped, _accepted, _rejected, _abandoned, _batches;

    public PredictionLogger(ControlPlaneClient client, string model, PredictionLoggerOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _client = client;
        _model = model;
        _options = options ?? new PredictionLoggerOptions();
        _log = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _channel = Channel.CreateBounded<PredictionRecord>(new BoundedChannelOptions(_options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full buffer answers false at once, never waits
            SingleReader = true,
        });
        _pump = Task.Run(PumpAsync);
    }

    public long Dropped => Interlocked.Read(ref _dropped);
    /// <summary>Records the server acknowledged (durable there).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);
    /// <summary>Records the server refused one by one (its 'rejected' count).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    /// <summary>Records of batches given up: retries exhausted, refused whole, or still buffered when disposal timed out.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);
    public long BatchesSent => Interlocked.Read(ref _batches);
    public int Buffered => _channel.Reader.Count;

    /// <summary>Buffers the record for sending; false (and counted as dropped) when the buffer is full or the logger closed.</summary>
    /// <summary>Whether a record would be dropped now: the handle then counts the drop without building the record.</summary>
    internal bool IsFull => _channel.Reader.Count >= _options.Capacity;

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    public bool TryLog(PredictionRecord record)
    {
        if (_channel.Writer.TryWrite(record))
            return true;
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Sends what is buffered, waiting at most <see cref="PredictionLoggerOptions.FlushTimeout"/>; the rest is counted as abandoned.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(_options.FlushTimeout, _time);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync();
            await _pump;
        }
        _abort.Dispose();
    }

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<PredictionRecord>(_options.BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token))
            {
                await FillAsync(reader, batch);
                await SendAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            Interlocked.Add(ref _abandoned, batch.Count);
            while (reader.TryRead(out _))
                Interlocked.Increment(ref _abandoned);
        }
    }

    /// <summary>Takes what is buffered, waiting up to the batch delay for a full batch (not once the logger is closing).</summary>
    private async Task FillAsync(ChannelReader<PredictionRecord> reader, List<PredictionRecord> batch)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.BatchDelay.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            while (batch.Count < _options.BatchSize && reader.TryRead(out var record))
                batch.Add(record);
            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (batch.Count >= _options.BatchSize || left <= TimeSpan.Zero || reader.Completion.IsCompleted)
                return;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            wait.CancelAfter(left);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token))
                    return;
            }
            catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SendAsync(List<PredictionRecord> batch)
    {
        var body = _json.Write(batch); // one batch at a time: the pump sends it (with its retries) before writing the next
        var delay = _options.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                var result = await _client.PostPredictionsAsync(_model, body, timeout.Token);
                Interlocked.Add(ref _accepted, result.Accepted);
                Interlocked.Add(ref _rejected, result.Rejected);
                Interlocked.Increment(ref _batches);
                if (result.Rejected > 0)
                    _log.LogWarning("The server refused {Rejected} of {Count} prediction records of {Model}", result.Rejected, batch.Count, _model);
                return;
            }
            catch (ControlPlaneApiException e) when (!e.IsTransient)
            {
                _log.LogError("The server refused a batch of {Count} prediction records of {Model}: {Error}", batch.Count, _model, e.Message);
                Interlocked.Add(ref _abandoned, batch.Count);
                return;
            }
            catch (Exception e) when (e is ControlPlaneApiException or HttpRequestException || (e is OperationCanceledException && !_abort.IsCancellationRequested))
            {
                retryAfter = (e as ControlPlaneApiException)?.RetryAfter;
                if (attempt >= _options.MaxAttempts)
                {
                    _log.LogError(e, "Gave up sending {Count} prediction records of {Model} after {Attempts} attempts", batch.Count, _model, attempt);
                    Interlocked.Add(ref _abandoned, batch.Count);
                    return;
                }
                _log.LogWarning("Sending {Count} prediction records of {Model} failed (attempt {Attempt}): {Error}", batch.Count, _model, attempt, e.Message);
            }
            await Task.Delay(retryAfter ?? Jitter(delay), _time, _abort.Token);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    // ±20 %, so many clients that failed together do not retry together.
    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + 0.4 * Random.Shared.NextDouble());
}
