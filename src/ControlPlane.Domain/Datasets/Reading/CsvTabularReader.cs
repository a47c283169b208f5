using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Streams a CSV file into batches; numbers are parsed straight from Sep's spans, never through strings. Big files
/// are parsed on every core (<see cref="CsvRows.ParallelRows"/>) and come out in the same batches, with the same
/// invalid counts and errors, as a sequential read; they then need the same columns on every read.
/// </summary>
internal sealed class CsvTabularReader : ITabularReader
{
    // Below this the parallel machinery costs more than the parsing it spreads.
    private const long ParallelFromBytes = 4 << 20;

    private readonly CsvRows _rows;
    private readonly bool _parallel;
    private ColumnRequest[]? _parallelRequests;
    private IEnumerator<ParsedRow>? _parsed;
    private long _rowsRead;

    private CsvTabularReader(CsvRows rows, bool parallel) => (_rows, _parallel) = (rows, parallel);

    public static Task<CsvTabularReader> OpenAsync(string path, ReadLimits limits, CancellationToken ct) =>
        OpenAsync(path, limits, Environment.ProcessorCount > 1 && new FileInfo(path).Length >= ParallelFromBytes, ct);

    /// <param name="parallel">Parse on every core, whatever the file's size (tests force both ways).</param>
    internal static async Task<CsvTabularReader> OpenAsync(string path, ReadLimits limits, bool parallel, CancellationToken ct) =>
        new(await CsvRows.OpenAsync(path, limits, parallel, ct), parallel);

    public DatasetFormat Format => DatasetFormat.Csv;
    public IReadOnlyList<string> ColumnNames => _rows.ColumnNames;
    public long? RowCount => null;
    public double Progress => _rows.Progress;

    public ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var requests = ColumnRequests.Check(batch, ColumnNames.Count);
        batch.Reset(_rowsRead);
        if (_parallel)
        {
            var parsed = Parsed(requests);
            while (batch.Count < batch.Capacity && parsed.MoveNext())
                parsed.Current.CopyTo(batch, requests, batch.Count++);
        }
        else
        {
            while (batch.Count < batch.Capacity && _rows.MoveNext())
                Fill(batch, requests, _rows.Current, batch.Count++);
        }
        _rowsRead += batch.Count;
        return ValueTask.FromResult(batch.Count > 0);
    }

    public void Dispose()
    {
        // Stops the parallel workers before the rows they parse go away.
        _parsed?.Dispose();
        _rows.Dispose();
    }

    private IEnumerator<ParsedRow> Parsed(ColumnRequest[] requests)
    {
        if (_parallelRequests is null)
        {
            _parallelRequests = requests;
            _parsed = _rows.ParallelRows(row => ParsedRow.Read(row, requests)).GetEnumerator();
        }
        else if (!_parallelRequests.AsSpan().SequenceEqual(requests))
        {
            throw new InvalidOperationException("A CSV file read in parallel is parsed ahead, so every read must request the same columns.");
        }
        return _parsed!;
    }

    private static void Fill(TabularBatch batch, ColumnRequest[] requests, SepReader.Row row, int index)
    {
        var invalid = batch.InvalidCounts;
        for (var i = 0; i < requests.Length; i++)
        {
            var col = row[requests[i].Ordinal];
            if (requests[i].As == ColumnReadAs.Number)
                batch.Numbers(i)[index] = CellParsing.ReadNumber(col, ref invalid[i]);
            else
                batch.Texts(i)[index] = CellParsing.ReadText(col);
        }
    }
}
