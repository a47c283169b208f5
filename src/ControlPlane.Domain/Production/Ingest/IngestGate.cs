using ControlPlane.Domain.Common;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Back-pressure: at most <see cref="ProductionOptions.MaxConcurrentBatches"/> batches are read and written at once in
/// this process; one that cannot start within <see cref="ProductionOptions.QueueTimeout"/> is a 429 with Retry-After.
/// </summary>
public sealed class IngestGate(IOptions<ProductionOptions> options)
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentBatches, options.Value.MaxConcurrentBatches);

    /// <summary>Batches being read or written now (for metrics and tests).</summary>
    public int Busy => options.Value.MaxConcurrentBatches - _slots.CurrentCount;

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (!await _slots.WaitAsync(options.Value.QueueTimeout, ct))
            throw new TooManyRequestsException(
                $"Ingest is at its limit of {options.Value.MaxConcurrentBatches} batches at once; retry after the time in Retry-After.", options.Value.RetryAfter);
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
