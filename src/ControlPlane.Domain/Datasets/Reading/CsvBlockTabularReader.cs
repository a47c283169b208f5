namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Streams a big CSV file into batches with every core parsing: blocks of whole rows (<see cref="CsvBlockSplitter"/>)
/// are parsed ahead in parallel (<see cref="CsvBlockParser"/>) and handed out in file order, so rows, batches,
/// invalid counts and the first error are those of reading in order (<see cref="CsvTabularReader"/>). At most two
/// blocks per worker are in memory. Reads the same columns on every call.
/// </summary>
internal sealed class CsvBlockTabularReader : ITabularReader
{
    private readonly string _path;
    private readonly bool _hasHeader;
    private readonly char _delimiter;
    private readonly ReadLimits _limits;
    private readonly CsvBlockOptions _options;
    private readonly CsvBlockSplitter _splitter;
    private readonly Queue<Task<CsvParsedBlock>> _parsing = new();
    private readonly CancellationTokenSource _stop = new();
    private CsvBlockParser? _parser;
    private ColumnRequest[]? _requests;
    private CsvParsedBlock? _current;
    private int _chunk;
    private long _rowsRead;
    private long _rowsParsed;
    private long _consumed;

    private CsvBlockTabularReader(CsvRows rows, (long Offset, long Line) start, ReadLimits limits, CsvBlockOptions options)
    {
        _path = rows.Path;
        ColumnNames = rows.ColumnNames;
        _hasHeader = rows.HasHeader;
        _delimiter = rows.Delimiter;
        _limits = limits;
        _options = options;
        _splitter = new CsvBlockSplitter(_path, start.Offset, start.Line, options);
        _consumed = start.Offset;
    }

    /// <summary>A block reader when <paramref name="options"/> apply to the file, else the one reading in order.</summary>
    public static async Task<ITabularReader> OpenAsync(string path, ReadLimits limits, CsvBlockOptions options, CancellationToken ct)
    {
        var rows = await CsvRows.OpenAsync(path, limits, ct);
        if (!options.Applies(new FileInfo(path).Length) || CsvDataStart.Find(path, rows.HasHeader) is not { } start)
            return new CsvTabularReader(rows);
        using (rows)
            return new CsvBlockTabularReader(rows, start, limits, options);
    }

    public DatasetFormat Format => DatasetFormat.Csv;
    public IReadOnlyList<string> ColumnNames { get; }
    public long? RowCount => null;
    public double Progress => Math.Min(1, (double)_consumed / Math.Max(1, _splitter.FileLength));

    public async ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var requests = ColumnRequests.Check(batch, ColumnNames.Count);
        if (_requests is null)
        {
            _requests = [.. requests];
            _parser = new CsvBlockParser(_path, ColumnNames, _hasHeader, _delimiter, _requests, _options.ChunkRows);
        }
        else if (!_requests.AsSpan().SequenceEqual(requests))
            throw new InvalidOperationException("A CSV file read in blocks gives the same columns on every read.");

        batch.Reset(_rowsRead);
        while (batch.Count < batch.Capacity)
        {
            if (_current is null || _chunk == _current.Chunks.Count)
            {
                if (!await NextBlockAsync(ct))
                    break;
                continue;
            }
            var chunk = _current.Chunks[_chunk];
            Take(chunk, batch);
            if (chunk.Taken == chunk.Rows.Count)
                _chunk++;
        }
        _rowsRead += batch.Count;
        return batch.Count > 0;
    }

    public void Dispose()
    {
        _stop.Cancel();
        // Blocks still being parsed finish on their own; only their outcome is dropped.
        foreach (var task in _parsing)
            _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default);
        _parsing.Clear();
        _splitter.Dispose();
        _stop.Dispose();
    }

    /// <summary>Moves the next block's rows into place, keeping up to two blocks per worker parsing ahead.</summary>
    private async Task<bool> NextBlockAsync(CancellationToken ct)
    {
        if (_current is not null)
            _parser!.Recycle(_current);
        _current = null;
        StartParsing();
        if (!_parsing.TryDequeue(out var next))
            return false;
        var block = await next.WaitAsync(ct);
        StartParsing();

        var room = _limits.MaxRows - _rowsParsed;
        if (block.Rows > room)
            throw CsvRowCheck.TooManyRows(block.RowLines[(int)room], _limits.MaxRows);
        _rowsParsed += block.Rows;
        (_current, _chunk, _consumed) = (block, 0, block.EndOffset);
        return true;
    }

    private void StartParsing()
    {
        var token = _stop.Token;
        while (_parsing.Count < 2 * _options.WorkerCount && _splitter.Next() is { } block)
            _parsing.Enqueue(Task.Run(() => _parser!.Parse(block, token), token));
    }

    /// <summary>Copies as many of the chunk's rows as the batch has room for, with their invalid cells.</summary>
    private static void Take(CsvChunk chunk, TabularBatch batch)
    {
        var count = Math.Min(chunk.Rows.Count - chunk.Taken, batch.Capacity - batch.Count);
        for (var i = 0; i < batch.Columns.Count; i++)
        {
            if (batch.Columns[i].As == ColumnReadAs.Number)
                Array.Copy(chunk.Rows.Numbers(i), chunk.Taken, batch.Numbers(i), batch.Count, count);
            else
                Array.Copy(chunk.Rows.Texts(i), chunk.Taken, batch.Texts(i), batch.Count, count);
        }
        var end = chunk.Taken + count;
        for (; chunk.InvalidTaken < chunk.Invalid.Count && chunk.Invalid[chunk.InvalidTaken].Row < end; chunk.InvalidTaken++)
            batch.InvalidCounts[chunk.Invalid[chunk.InvalidTaken].Request]++;
        chunk.Taken = end;
        batch.Count += count;
    }
}
