using System.Numerics;
using Apache.Arrow;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Whole-column checks over Arrow value buffers: a row that might be refused is marked so that the record way judges
/// it and says why. Null slots are skipped (their buffer bytes mean nothing).
/// </summary>
internal static class ColumnScans
{
    /// <summary>Marks the rows whose value is NaN or infinite; integer columns have none.</summary>
    public static void MarkNonFinite(IArrowArray? array, Span<bool> marked)
    {
        switch (array)
        {
            case DoubleArray d:
                MarkNonFinite(d.Values, d, marked);
                break;
            case FloatArray f:
                for (var i = 0; i < f.Length; i++)
                {
                    if (!float.IsFinite(f.Values[i]) && f.IsValid(i))
                        marked[i] = true;
                }
                break;
        }
    }

    /// <summary>Marks the rows whose value is below zero.</summary>
    public static void MarkNegative(IArrowArray? array, Span<bool> marked)
    {
        switch (array)
        {
            case DoubleArray d: MarkNegative(d.Values, d, marked); break;
            case FloatArray f: MarkNegative(f.Values, f, marked); break;
            case Int64Array l: MarkNegative(l.Values, l, marked); break;
            case Int32Array n: MarkNegative(n.Values, n, marked); break;
        }
    }

    /// <summary>Marks the rows where <paramref name="array"/> holds a value (is not null).</summary>
    public static void MarkPresent(IArrowArray array, Span<bool> marked, Func<int, bool> applies)
    {
        if (array.NullCount == array.Length)
            return;
        for (var i = 0; i < array.Length; i++)
        {
            if (array.IsValid(i) && applies(i))
                marked[i] = true;
        }
    }

    private static void MarkNonFinite(ReadOnlySpan<double> values, IArrowArray array, Span<bool> marked)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // x - x is 0 for every finite x and NaN for NaN and both infinities: one subtraction and compare per lane.
            for (; i + Vector<double>.Count <= values.Length; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values[i..]);
                if (Vector.EqualsAll(v - v, Vector<double>.Zero))
                    continue;
                for (var j = i; j < i + Vector<double>.Count; j++)
                {
                    if (!double.IsFinite(values[j]) && array.IsValid(j))
                        marked[j] = true;
                }
            }
        }
        for (; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) && array.IsValid(i))
                marked[i] = true;
        }
    }

    private static void MarkNegative<T>(ReadOnlySpan<T> values, IArrowArray array, Span<bool> marked) where T : struct, INumber<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (T.IsNegative(values[i]) && !T.IsZero(values[i]) && array.IsValid(i))
                marked[i] = true;
        }
    }
}
