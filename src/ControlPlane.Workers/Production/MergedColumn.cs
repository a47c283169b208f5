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
            (_values, _required) = (new T?[rows], Output.IsNullable ? [] : new T[rows]);
    }

    public override ValueTask ReadAsync(ParquetRowGroupReader group, DataField source, int offset, int count, CancellationToken ct) =>
        group.ReadAsync<T>(source, _values.AsMemory(offset, count), null, ct);

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

    public override ValueTask ReadAsync(ParquetRowGroupReader group, DataField source, int offset, int count, CancellationToken ct) =>
        group.ReadAsync(source, _values.AsMemory(offset, count), null, ct);

    public override void SetNull(int offset, int count) => Array.Clear(_values, offset, count);

    public override Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken ct) =>
        group.WriteAsync(Output, new ArraySegment<string>(_values!, 0, count));
}
