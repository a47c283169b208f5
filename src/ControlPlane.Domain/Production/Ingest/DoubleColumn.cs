using System.Collections;
using Apache.Arrow;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// A nullable DOUBLE column as Parquet stores it: one value slot per row (0 where null) beside its definition level
/// (1 defined, 0 null). Rows are appended one at a time (JSON) or a run at a time straight from an Arrow array, and
/// the column is written without a <c>double?</c> per row.
/// </summary>
internal sealed class DoubleColumn : IReadOnlyList<double?>
{
    private double[] _values = new double[256];
    private int[] _levels = new int[256];

    public int Count { get; private set; }
    public int Nulls { get; private set; }

    /// <summary>One slot per row; a null row's slot holds 0.</summary>
    public ReadOnlyMemory<double> Slots => _values.AsMemory(0, Count);

    /// <summary>The Parquet definition level of each row.</summary>
    public ReadOnlyMemory<int> Levels => _levels.AsMemory(0, Count);

    public double? this[int index] => (uint)index < (uint)Count
        ? _levels[index] == 1 ? _values[index] : null
        : throw new ArgumentOutOfRangeException(nameof(index));

    public void Add(double? value)
    {
        Grow(1);
        _values[Count] = value ?? 0;
        _levels[Count] = value.HasValue ? 1 : 0;
        if (!value.HasValue)
            Nulls++;
        Count++;
    }

    public void AddNulls(int count)
    {
        Grow(count);
        _values.AsSpan(Count, count).Clear();
        _levels.AsSpan(Count, count).Clear();
        Nulls += count;
        Count += count;
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/>+<paramref name="count"/> of a double, float or integer array.</summary>
    public void Add(IArrowArray array, int start, int count)
    {
        Grow(count);
        var values = _values.AsSpan(Count, count);
        switch (array)
        {
            case DoubleArray d:
                d.Values.Slice(start, count).CopyTo(values);
                break;
            case FloatArray f:
                Widen(f.Values.Slice(start, count), values);
                break;
            case Int64Array l:
                Widen(l.Values.Slice(start, count), values);
                break;
            case Int32Array n:
                Widen(n.Values.Slice(start, count), values);
                break;
            default:
                throw new ArgumentException($"{array.Data.DataType.Name} is not a numeric Arrow array", nameof(array));
        }
        var levels = _levels.AsSpan(Count, count);
        if (array.NullCount == 0)
            levels.Fill(1);
        else
        {
            for (var i = 0; i < count; i++)
            {
                var valid = array.IsValid(start + i);
                levels[i] = valid ? 1 : 0;
                if (!valid)
                {
                    values[i] = 0;
                    Nulls++;
                }
            }
        }
        Count += count;
    }

    /// <summary>The defined values only, in row order: what Parquet stores beside the levels.</summary>
    public ReadOnlyMemory<double> Defined()
    {
        if (Nulls == 0)
            return Slots;
        var defined = new double[Count - Nulls];
        var k = 0;
        for (var i = 0; i < Count; i++)
        {
            if (_levels[i] == 1)
                defined[k++] = _values[i];
        }
        return defined;
    }

    private static void Widen<T>(ReadOnlySpan<T> source, Span<double> target) where T : struct, System.Numerics.INumberBase<T>
    {
        for (var i = 0; i < source.Length; i++)
            target[i] = double.CreateTruncating(source[i]);
    }

    private void Grow(int more)
    {
        if (Count + more <= _values.Length)
            return;
        var size = Math.Max(Count + more, _values.Length * 2);
        System.Array.Resize(ref _values, size);
        System.Array.Resize(ref _levels, size);
    }

    public IEnumerator<double?> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
