using Parquet;
using Parquet.Schema;

namespace ControlPlane.Workers.Production;

/// <summary>
/// One column of the merged file while a row group is assembled: source row groups are read straight into slices of a
/// reused buffer (nulls where a source lacks the column), then written as one row group.
/// </summary>
internal abstract class MergedColumn(DataField output)
{
    public DataField Output { get; } = output;

    public abstract void EnsureCapacity(int rows);

    public abstract ValueTask ReadAsync(ParquetRowGroupReader group, DataField source, int offset, int count, CancellationToken ct);

    public abstract void SetNull(int offset, int count);

    public abstract Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken ct);

    public static MergedColumn For(DataField output) => output.ClrType == typeof(ReadOnlyMemory<char>) || output.ClrType == typeof(string)
        ? new StringColumn(output)
        : (MergedColumn)Activator.CreateInstance(typeof(ValueColumn<>).MakeGenericType(output.ClrType), output)!;
}

internal sealed class ValueColumn<T>(DataField output) : MergedColumn(output) where T : struct
{
    private T?[] _values = [];
    private T[] _required = [];

    public override void EnsureCapacity(int rows)
    {
        if (_values.Length < rows)
            (_values, _required) = (new T?[rows], new T[rows]);
    }

    public override async ValueTask ReadAsync(ParquetRowGroupReader group, DataField source, int offset, int count, CancellationToken ct)
    {
        if (source.IsNullable)
        {
            await group.ReadAsync<T>(source, _values.AsMemory(offset, count), null, ct);
            return;
        }
        // Parquet.Net 6.1 reads a required column into nullable memory with stale definition levels (random nulls),
        // so a required column is read as plain values and lifted.
        await group.ReadAsync<T>(source, _required.AsMemory(0, count), null, ct);
        for (var i = 0; i < count; i++)
            _values[offset + i] = _required[i];
    }

    public override void SetNull(int offset, int count) => Array.Clear(_values, offset, count);

    public override async Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken ct)
    {
        if (Output.IsNullable)
        {
            await group.WriteAsync<T>(Output, new ReadOnlyMemory<T?>(_values, 0, count), null, null, ct);
            return;
        }
        // Required only where every source had the column required, so no value is null here.
        for (var i = 0; i < count; i++)
            _required[i] = _values[i]!.Value;
        await group.WriteAsync<T>(Output, new ReadOnlyMemory<T>(_required, 0, count), null, null, ct);
    }
}

internal sealed class StringColumn(DataField output) : MergedColumn(output)
{
    private string?[] _values = [];

    public override void EnsureCapacity(int rows)
    {
        if (_values.Length < rows)
            _values = new string?[rows];
    }

    public override async ValueTask ReadAsync(ParquetRowGroupReader group, DataField source, int offset, int count, CancellationToken ct)
    {
        await group.ReadAsync(source, _values.AsMemory(offset, count), null, ct);
        // A null in a required column is a misread (see ValueColumn), never data: stop rather than merge it.
        if (!source.IsNullable && Array.IndexOf(_values, null, offset, count) >= 0)
            throw new InvalidDataException($"The required column {source.Name} read back with nulls.");
    }

    public override void SetNull(int offset, int count) => Array.Clear(_values, offset, count);

    /// <summary>The first <paramref name="count"/> values of the row group being assembled.</summary>
    public ReadOnlySpan<string?> Values(int count) => _values.AsSpan(0, count);

    public override Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken ct) =>
        group.WriteAsync(Output, new ArraySegment<string>(_values!, 0, count));
}
