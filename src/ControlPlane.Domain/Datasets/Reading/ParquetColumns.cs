using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// One column of one row group, converted to what a batch holds: numbers, or texts as stored (<see cref="Texts"/>) or
/// formatted when asked for (<see cref="TextAt"/>: a preview of 100 rows must not format every value of a
/// million-row group).
/// </summary>
/// <param name="Invalid">For numbers: which cells were present but not a finite number; null when none were.</param>
internal sealed record LoadedColumn(double[]? Numbers, bool[]? Invalid, string?[]? Texts, Func<int, string?>? TextAt = null);

/// <summary>
/// How Parquet types read: integers, floats and decimals as numbers; booleans as 1/0 (text "True"/"False"); strings as
/// written (or parsed when read as numbers); dates as ISO 8601 round-trip text. Nulls are missing. Nested and repeated
/// columns, and raw binary, are refused.
/// </summary>
internal static class ParquetColumns
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void EnsureSupported(Field field)
    {
        if (field.SchemaType != SchemaType.Data || field.MaxRepetitionLevel > 0)
            throw new DataFormatException(
                $"Column '{field.Name}' is a {Describe(field)}; only flat columns of single values can be read.", column: field.Name);
        var type = ((DataField)field).ClrType;
        if (KnownType(type) is null && type != typeof(ReadOnlyMemory<char>) && type != typeof(Guid))
            throw new DataFormatException(
                $"Column '{field.Name}' holds {(type == typeof(ReadOnlyMemory<byte>) ? "binary" : type.Name)} values, which cannot be read.",
                column: field.Name);
    }

    /// <summary>The column's type from the schema; null for strings, whose type depends on their values.</summary>
    public static ColumnType? TypeOf(DataField field) => KnownType(field.ClrType);

    public static async ValueTask<LoadedColumn> ReadAsync(
        ParquetRowGroupReader group, DataField field, ColumnReadAs readAs, int rows, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(ReadOnlyMemory<char>))
            return await StringsAsync(group, field, readAs, rows, ct);
        if (type == typeof(Guid))
            return await ValuesAsync<Guid>(group, field, readAs, rows, null, g => g.ToString("D"), ct);
        if (type == typeof(BigInteger))
            return await NumbersAsync<BigInteger>(group, field, readAs, rows, ct);
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => await ValuesAsync<bool>(group, field, readAs, rows, b => b ? 1 : 0, b => b.ToString(), ct),
            TypeCode.SByte => await NumbersAsync<sbyte>(group, field, readAs, rows, ct),
            TypeCode.Byte => await NumbersAsync<byte>(group, field, readAs, rows, ct),
            TypeCode.Int16 => await NumbersAsync<short>(group, field, readAs, rows, ct),
            TypeCode.UInt16 => await NumbersAsync<ushort>(group, field, readAs, rows, ct),
            TypeCode.Int32 => await NumbersAsync<int>(group, field, readAs, rows, ct),
            TypeCode.UInt32 => await NumbersAsync<uint>(group, field, readAs, rows, ct),
            TypeCode.Int64 => await NumbersAsync<long>(group, field, readAs, rows, ct),
            TypeCode.UInt64 => await NumbersAsync<ulong>(group, field, readAs, rows, ct),
            TypeCode.Single => await NumbersAsync<float>(group, field, readAs, rows, ct),
            TypeCode.Double => await NumbersAsync<double>(group, field, readAs, rows, ct),
            TypeCode.Decimal => await NumbersAsync<decimal>(group, field, readAs, rows, ct),
            TypeCode.DateTime => await ValuesAsync<DateTime>(group, field, readAs, rows, null, d => d.ToString("O", Invariant), ct),
            _ => throw new InvalidOperationException($"Unchecked Parquet type {type.Name}."),
        };
    }

    private static ColumnType? KnownType(Type type)
    {
        if (type == typeof(BigInteger))
            return ColumnType.Numerical;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => ColumnType.Boolean,
            TypeCode.DateTime => ColumnType.DateTime,
            TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal => ColumnType.Numerical,
            _ => null,
        };
    }

    private static string Describe(Field field) => field.SchemaType switch
    {
        SchemaType.List => "list",
        SchemaType.Map => "map",
        SchemaType.Struct => "struct",
        _ => "repeated field",
    };

    private static ValueTask<LoadedColumn> NumbersAsync<T>(
        ParquetRowGroupReader group, DataField field, ColumnReadAs readAs, int rows, CancellationToken ct)
        where T : struct, INumberBase<T> =>
        ValuesAsync<T>(group, field, readAs, rows, double.CreateSaturating, v => v.ToString(null, Invariant), ct);

    /// <param name="toNumber">Null when no value of the type is a number: each present cell is then invalid.</param>
    private static async ValueTask<LoadedColumn> ValuesAsync<T>(
        ParquetRowGroupReader group, DataField field, ColumnReadAs readAs, int rows,
        Func<T, double>? toNumber, Func<T, string> toText, CancellationToken ct)
        where T : struct
    {
        bool[]? invalid = null;
        var numbers = readAs == ColumnReadAs.Number ? new double[rows] : null;
        if (!field.IsNullable)
        {
            // Read as what it is: Parquet.Net 6.1 fills nullable values from a pooled definition-level buffer that a
            // required column never writes, so stale levels from an earlier read (of any nullable column) came back
            // as nulls.
            var required = new T[rows];
            await group.ReadAsync<T>(field, required.AsMemory(), null, ct);
            if (numbers is null)
                return new LoadedColumn(null, null, null, i => toText(required[i]));
            for (var i = 0; i < rows; i++)
                numbers[i] = Number(required[i], toNumber, i, rows, ref invalid);
            return new LoadedColumn(numbers, invalid, null);
        }

        var values = new T?[rows];
        await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
        if (numbers is null)
            return new LoadedColumn(null, null, null, i => values[i] is { } value ? toText(value) : null);
        for (var i = 0; i < rows; i++)
            numbers[i] = values[i] is { } value ? Number(value, toNumber, i, rows, ref invalid) : double.NaN;
        return new LoadedColumn(numbers, invalid, null);
    }

    /// <summary>A present value as a number; NaN, and marked invalid, when it is not a finite one.</summary>
    private static double Number<T>(T value, Func<T, double>? toNumber, int index, int rows, ref bool[]? invalid)
    {
        var number = toNumber is null ? double.NaN : toNumber(value);
        if (double.IsFinite(number))
            return number;
        (invalid ??= new bool[rows])[index] = true;
        return double.NaN;
    }

    private static async ValueTask<LoadedColumn> StringsAsync(
        ParquetRowGroupReader group, DataField field, ColumnReadAs readAs, int rows, CancellationToken ct)
    {
        var texts = new string?[rows];
        await group.ReadAsync(field, texts.AsMemory()!, null, ct);
        if (readAs == ColumnReadAs.Text)
            return new LoadedColumn(null, null, texts);

        var numbers = new double[rows];
        bool[]? invalid = null;
        for (var i = 0; i < rows; i++)
        {
            long bad = 0;
            numbers[i] = CellParsing.ReadNumber(texts[i], ref bad);
            if (bad > 0)
                (invalid ??= new bool[rows])[i] = true;
        }
        return new LoadedColumn(numbers, invalid, null);
    }
}
