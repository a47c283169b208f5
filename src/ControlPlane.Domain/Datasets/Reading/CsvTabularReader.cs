namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Streams a CSV file into batches, row after row on one core.</summary>
internal sealed class CsvTabularReader : ITabularReader
{
    private readonly CsvRows _rows;
    private long _rowsRead;

    public CsvTabularReader(CsvRows rows) => _rows = rows;

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
            CsvCells.Fill(batch, requests, _rows.Current, batch.Count++, _rows.CommasPossible);
        _rowsRead += batch.Count;
        return ValueTask.FromResult(batch.Count > 0);
    }

    public void Dispose() => _rows.Dispose();
}
