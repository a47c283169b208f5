namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Streams a big CSV file into batches with every core parsing: blocks of whole rows are parsed ahead in parallel
/// (<see cref="CsvBlockPipeline{T}"/>, <see cref="CsvBlockParser"/>) and handed out in file order, so rows, batches,
/// invalid counts and the first error are those of reading in order (<see cref="CsvTabularReader"/>). Reads the same
/// columns on every call.
/// </summary>
internal sealed class CsvBlockTabularReader(CsvBlockFile file, ReadLimits limits, CsvBlockOptions options) : ITabularReader
{
    private CsvBlockPipeline<CsvParsedBlock>? _pipeline;
    private CsvBlockParser? _parser;
    private ColumnRequest[]? _requests;
    private CsvParsedBlock? _current;
    private int _chunk;
    private int _allowed;
    private int _handedOut;
    private Exception? _failure;
    private long _rowsRead;
    private long _rowsParsed;
    private bool _ended;

    /// <summary>A block reader when <paramref name="options"/> apply to the file, else the one reading in order.</summary>
    public static async Task<ITabularReader> OpenAsync(string path, ReadLimits limits, CsvBlockOptions options, CancellationToken ct)
    {
        var rows = await CsvRows.OpenAsync(path, limits, ct);
        try
        {
            if (CsvBlockFile.For(rows, options) is not { } file)
                return new CsvTabularReader(rows);
            rows.Dispose();
            return new CsvBlockTabularReader(file, limits, options);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    public DatasetFormat Format => DatasetFormat.Csv;
    public IReadOnlyList<string> ColumnNames => file.Names;
    public long? RowCount => null;
    public double Progress => _ended ? 1 : _pipeline?.Progress ?? 0;

    public async ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var requests = ColumnRequests.Check(batch, ColumnNames.Count);
        if (_requests is null)
        {
            _requests = [.. requests];
            var parser = _parser = new CsvBlockParser(file, _requests, options.ChunkRows);
            _pipeline = new CsvBlockPipeline<CsvParsedBlock>(file, options, parser.Parse);
        }
        else if (!_requests.AsSpan().SequenceEqual(requests))
            throw new InvalidOperationException("A CSV file read in blocks gives the same columns on every read.");

        batch.Reset(_rowsRead);
        while (batch.Count < batch.Capacity)
        {
            if (_current is null || _handedOut == _allowed)
            {
                // As reading in order: the rows before a failure are handed out, the batch it happens in is not.
                if (_failure is not null)
                    await file.ThrowAsync(_failure, ct);
                if (!await NextBlockAsync(ct))
                    break;
                continue;
            }
            var chunk = _current.Chunks[_chunk];
            _handedOut += Take(chunk, batch, _allowed - _handedOut);
            if (chunk.Taken == chunk.Rows.Count)
                _chunk++;
        }
        _rowsRead += batch.Count;
        return batch.Count > 0;
    }

    public void Dispose() => _pipeline?.Dispose();

    /// <summary>Moves to the next block; the rows it may hand out end at its failure or at the row past the limit, whichever comes first.</summary>
    private async Task<bool> NextBlockAsync(CancellationToken ct)
    {
        if (_current is not null)
            _parser!.Recycle(_current);
        _current = null;
        var (found, block) = await _pipeline!.NextAsync(ct);
        if (!found)
        {
            _ended = true;
            return false;
        }
        var room = limits.MaxRows - _rowsParsed;
        (_allowed, _failure) = block.Rows > room
            ? ((int)room, CsvRowCheck.TooManyRows(block.RowLines[(int)room], limits.MaxRows))
            : (block.Rows, block.Failure);
        _rowsParsed += _allowed;
        (_current, _chunk, _handedOut) = (block, 0, 0);
        return true;
    }

    /// <summary>Copies as many of the chunk's rows as the batch has room for (at most <paramref name="most"/>), with their invalid cells.</summary>
    private static int Take(CsvChunk chunk, TabularBatch batch, int most)
    {
        var count = Math.Min(Math.Min(chunk.Rows.Count - chunk.Taken, batch.Capacity - batch.Count), most);
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
        return count;
    }
}
