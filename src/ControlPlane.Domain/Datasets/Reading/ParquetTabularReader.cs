using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Streams a Parquet file one row group at a time: the requested columns of the current group are read whole
/// (Parquet's unit of decoding) and served in batches that may straddle groups.
/// </summary>
internal sealed class ParquetTabularReader : ITabularReader
{
    private readonly FileStream _file;
    private readonly ParquetReader _parquet;
    private readonly DataField[] _fields;
    private readonly Dictionary<ColumnRequest, LoadedColumn> _loaded = [];
    private ParquetRowGroupReader? _group;
    private int _groupIndex = -1;
    private int _groupRows;
    private int _groupPosition;
    private long _rowsRead;

    private ParquetTabularReader(FileStream file, ParquetReader parquet, DataField[] fields)
    {
        _file = file;
        _parquet = parquet;
        _fields = fields;
        ColumnNames = [.. fields.Select(f => f.Name)];
        RowCount = parquet.Metadata?.NumRows ?? 0;
    }

    public DatasetFormat Format => DatasetFormat.Parquet;
    public IReadOnlyList<string> ColumnNames { get; }
    public long? RowCount { get; }
    public double Progress => RowCount is > 0 ? (double)_rowsRead / RowCount.Value : 1;

    /// <summary>The type each column has by its schema; null for strings, whose type depends on their values.</summary>
    public IReadOnlyList<ColumnType?> SchemaTypes => [.. _fields.Select(ParquetColumns.TypeOf)];

    public static async Task<ParquetTabularReader> OpenAsync(string path, ReadLimits limits, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        ParquetReader? parquet = null;
        try
        {
            try
            {
                parquet = await ParquetReader.CreateAsync(file, leaveStreamOpen: true, cancellationToken: ct);
            }
            catch (Exception e) when (IsCorruption(e))
            {
                throw new DataFormatException($"The file is not a valid Parquet file ({e.Message}).");
            }
            var reader = new ParquetTabularReader(file, parquet, Validate(parquet, limits));
            if (reader.RowCount == 0)
                throw new DataFormatException("The file has no data rows.");
            if (reader.RowCount > limits.MaxRows)
                throw new DataFormatException($"The file has {reader.RowCount} rows, more than the limit of {limits.MaxRows}.");
            return reader;
        }
        catch
        {
            if (parquet is not null)
                await parquet.DisposeAsync();
            await file.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        var requests = ColumnRequests.Check(batch, _fields.Length);
        batch.Reset(_rowsRead);
        while (batch.Count < batch.Capacity && (_groupPosition < _groupRows || NextGroup()))
        {
            var take = Math.Min(batch.Capacity - batch.Count, _groupRows - _groupPosition);
            for (var i = 0; i < requests.Length; i++)
                Copy(await LoadAsync(requests[i], ct), batch, i, take);
            batch.Count += take;
            _groupPosition += take;
        }
        _rowsRead += batch.Count;
        return batch.Count > 0;
    }

    public void Dispose()
    {
        // ParquetReader is only IAsyncDisposable; over a stream it leaves open it releases buffers and completes at once.
        _parquet.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _file.Dispose();
    }

    private static DataField[] Validate(ParquetReader parquet, ReadLimits limits)
    {
        var fields = parquet.Schema.Fields;
        ColumnNameRules.CheckCount(fields.Count, limits, null);
        foreach (var field in fields)
            ParquetColumns.EnsureSupported(field);
        var dataFields = fields.Cast<DataField>().ToArray();
        ColumnNameRules.Check([.. dataFields.Select(f => f.Name)], null);
        var groups = parquet.Metadata?.RowGroups ?? [];
        for (var i = 0; i < groups.Count; i++)
            if (groups[i].NumRows > limits.MaxRowGroupRows)
                throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"Row group {i + 1} holds {groups[i].NumRows:N0} rows; a row group may hold at most {limits.MaxRowGroupRows:N0} here, because each is decoded whole. Write the file with smaller row groups (pyarrow: row_group_size=1_000_000)."));
        return dataFields;
    }

    private bool NextGroup()
    {
        while (++_groupIndex < _parquet.RowGroupCount)
        {
            _group = _parquet.OpenRowGroupReader(_groupIndex);
            _loaded.Clear();
            _groupRows = checked((int)_group.RowCount);
            _groupPosition = 0;
            if (_groupRows > 0)
                return true;
        }
        _groupRows = _groupPosition = 0;
        return false;
    }

    private async ValueTask<LoadedColumn> LoadAsync(ColumnRequest request, CancellationToken ct)
    {
        if (_loaded.TryGetValue(request, out var loaded))
            return loaded;
        var field = _fields[request.Ordinal];
        try
        {
            loaded = await ParquetColumns.ReadAsync(_group!, field, request.As, _groupRows, ct);
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw new DataFormatException(
                $"Column '{field.Name}' cannot be read from row group {_groupIndex + 1}: the Parquet file is corrupt ({e.Message}).", column: field.Name);
        }
        _loaded[request] = loaded;
        return loaded;
    }

    private void Copy(LoadedColumn column, TabularBatch batch, int index, int take)
    {
        if (column.Texts is { } texts)
        {
            Array.Copy(texts, _groupPosition, batch.Texts(index), batch.Count, take);
            return;
        }
        if (column.TextAt is { } textAt)
        {
            var target = batch.Texts(index);
            for (var i = 0; i < take; i++)
                target[batch.Count + i] = textAt(_groupPosition + i);
            return;
        }
        Array.Copy(column.Numbers!, _groupPosition, batch.Numbers(index), batch.Count, take);
        if (column.Invalid is { } invalid)
            batch.InvalidCounts[index] += invalid.AsSpan(_groupPosition, take).Count(true);
    }

    // Parquet.Net reports damage with whatever the decoder tripped on (IOException, Thrift and index errors, ...).
    private static bool IsCorruption(Exception e) =>
        e is not (OperationCanceledException or DataFormatException or OutOfMemoryException);
}
