using ControlPlane.Domain.Production;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// The real store with one step changed: after a put has stored the file, <see cref="AfterPut"/> runs (a crash, or a
/// wait for another worker). Everything else goes straight to the real store.
/// </summary>
internal sealed class StoreFaults(ITelemetryStore inner, Func<string, Task> afterPut) : ITelemetryStore
{
    public List<string> Puts { get; } = [];

    public async Task PutAsync(string path, string localFile, CancellationToken ct)
    {
        await inner.PutAsync(path, localFile, ct);
        lock (Puts)
            Puts.Add(path);
        await afterPut(path);
    }

    public async Task PutAsync(string path, Stream content, CancellationToken ct)
    {
        await inner.PutAsync(path, content, ct);
        lock (Puts)
            Puts.Add(path);
        await afterPut(path);
    }

    public Task<string> GetLocalPathAsync(string path, CancellationToken ct) => inner.GetLocalPathAsync(path, ct);
    public Task DeleteAsync(string path, CancellationToken ct) => inner.DeleteAsync(path, ct);
    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);
    public IAsyncEnumerable<TelemetryFile> ListFilesAsync(string prefix, CancellationToken ct) => inner.ListFilesAsync(prefix, ct);
    public string Location => inner.Location;
}

/// <summary>Two parties meet here: each waits until the other has arrived.</summary>
internal sealed class Meeting
{
    private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public Task ArriveAsync()
    {
        if (Interlocked.Increment(ref _arrived) == 2)
            _both.SetResult();
        return _both.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }
}
