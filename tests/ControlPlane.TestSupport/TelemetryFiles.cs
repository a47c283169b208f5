using Parquet;
using Parquet.Schema;

namespace ControlPlane.TestSupport;

/// <summary>Reads a telemetry Parquet file back with Parquet.Net, column by column, values boxed (null where null).</summary>
public static class TelemetryFiles
{
    public static async Task<Dictionary<string, object?[]>> ReadAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        var group = reader.OpenRowGroupReader(0);
        var rows = (int)group.RowCount;
        var columns = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var field in reader.Schema.DataFields)
            columns[field.Name] = await ColumnAsync(group, field, rows);
        return columns;
    }

    private static async Task<object?[]> ColumnAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var texts = new string?[rows];
            await group.ReadAsync(field, texts.AsMemory(), null);
            return [.. texts];
        }
        if (type == typeof(DateTime))
            return await ValuesAsync<DateTime>(group, field, rows);
        if (type == typeof(int))
            return await ValuesAsync<int>(group, field, rows);
        if (type == typeof(double))
            return await ValuesAsync<double>(group, field, rows);
        throw new InvalidOperationException($"Unexpected column type {type} of {field.Name}.");
    }

    private static async Task<object?[]> ValuesAsync<T>(ParquetRowGroupReader group, DataField field, int rows) where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync<T>(field, values.AsMemory(), null);
            return [.. values.Select(v => v is { } x ? (object)x : null)];
        }
        var required = new T[rows];
        await group.ReadAsync<T>(field, required.AsMemory(), null);
        return [.. required.Select(v => (object?)v)];
    }
}
