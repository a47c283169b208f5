using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Streams a CSV file into batches; numbers are parsed straight from Sep's spans, never through strings.</summary>
internal sealed class CsvTabularReader : ITabularReader
{
    private readonly CsvRows _rows;
    private long _rowsRead;

    private CsvTabularReader(CsvRows rows) => _rows = rows;

    public static async Task<CsvTabularReader> OpenAsync(string path, ReadLimits limits, CancellationToken ct) =>
        new(await CsvRows.OpenAsync(path, limits, ct));

    public DatasetFormat Format => DatasetFormat.Csv;
    public IReadOnlyList<string> ColumnNames => _rows.ColumnNames;
    public long? RowCount => null;
    public double Progress => _rows.Progress;

    public ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var requests = ColumnRequests.Check(batch, ColumnNames.Count);
        batch.Reset(_rowsRead);
        while (batch.Count < batch.Capacity && _rows.MoveNext())
            Fill(batch, requests, _rows.Current, batch.Count++);
        _rowsRead += batch.Count;
        return ValueTask.FromResult(batch.Count > 0);
    }

    public void Dispose() => _rows.Dispose();

    private static void Fill(TabularBatch batch, ColumnRequest[] requests, SepReader.Row row, int index)
    {
        var invalid = batch.InvalidCounts;
        for (var i = 0; i < requests.Length; i++)
        {
            var col = row[requests[i].Ordinal];
            if (requests[i].As == ColumnReadAs.Number)
                batch.Numbers(i)[index] = CellParsing.TryParseFinite(col, out var value)
                    ? value
                    : CellParsing.NotAFiniteNumber(col.Span, ref invalid[i]);
            else
                batch.Texts(i)[index] = MissingTokens.IsMissing(col.Span) ? null : col.ToString();
        }
    }
}
