namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Runs the blocks of a CSV file through <c>parse</c> on every core and hands the results out in file order, at most
/// two blocks per worker ahead of the one handed out.
/// </summary>
internal sealed class CsvBlockPipeline<T> : IDisposable
{
    private readonly CsvBlockSplitter _splitter;
    private readonly long _fileLength;
    private readonly int _ahead;
    private readonly Func<CsvBlock, CancellationToken, T> _parse;
    private readonly Queue<(Task<T> Parsing, long EndOffset)> _parsing = new();
    private readonly CancellationTokenSource _stop = new();
    private long _consumed;
    private bool _disposed;

    public CsvBlockPipeline(CsvBlockFile file, CsvBlockOptions options, Func<CsvBlock, CancellationToken, T> parse)
    {
        _splitter = file.Split(options);
        _fileLength = _splitter.FileLength;
        _ahead = 2 * options.WorkerCount;
        _parse = parse;
        _consumed = file.DataOffset;
    }

    /// <summary>Fraction of the file's bytes handed out.</summary>
    public double Progress => Math.Min(1, (double)_consumed / Math.Max(1, _fileLength));

    /// <summary>The next block's result in file order, or false at the end.</summary>
    public async Task<(bool Found, T Result)> NextAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StartParsing();
        if (!_parsing.TryDequeue(out var next))
            return (false, default!);
        var result = await next.Parsing.WaitAsync(ct);
        _consumed = next.EndOffset;
        StartParsing();
        return (true, result);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stop.Cancel();
        // Blocks still being parsed finish on their own; only their outcome is dropped.
        foreach (var (parsing, _) in _parsing)
            _ = parsing.ContinueWith(t => t.Exception, TaskScheduler.Default);
        _parsing.Clear();
        _splitter.Dispose();
        _stop.Dispose();
    }

    private void StartParsing()
    {
        var token = _stop.Token;
        while (_parsing.Count < _ahead && _splitter.Next() is { } block)
            _parsing.Enqueue((Task.Run(() => _parse(block, token), token), block.EndOffset));
    }
}
