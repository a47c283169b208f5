using System.Numerics;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// The k-th smallest value for a few ranks k without sorting everything. Big inputs are first narrowed by value:
/// equal-width buckets between min and max are counted, and only the buckets that hold a wanted rank are kept (a
/// quantile of a million values then looks at a few thousand). The rest is a quickselect that follows only the parts
/// holding wanted ranks, with a three-way partition (data often repeats values) and a sort once a part is small or the
/// recursion gets too deep (so the worst case stays n log n).
/// </summary>
internal static class OrderStatistics
{
    private const int SortBelow = 32;
    private const int Buckets = 4096;
    private const int NarrowAbove = 1 << 14;

    // Skewed data can leave most values in one bucket; two rounds of narrowing find it (an outlier stretching the
    // range, then the bulk), more would only cost passes on data that buckets do not split.
    private const int NarrowingRounds = 2;

    /// <param name="values">Finite values, in one or more parts; may be reordered.</param>
    /// <param name="ranks">0-based ranks, ascending.</param>
    /// <returns>The value at each rank, in the order of <paramref name="ranks"/>.</returns>
    public static double[] ValuesAt(IReadOnlyList<Memory<double>> values, ReadOnlySpan<int> ranks)
    {
        var result = new double[ranks.Length];
        ValuesAt(values, ranks, result, NarrowingRounds);
        return result;
    }

    /// <param name="values">Finite values; reordered in place.</param>
    /// <param name="ranks">0-based ranks, ascending.</param>
    public static void Select(Span<double> values, ReadOnlySpan<int> ranks) =>
        Select(values, ranks, 0, 2 * (BitOperations.Log2((uint)values.Length) + 1));

    private static void ValuesAt(IReadOnlyList<Memory<double>> parts, ReadOnlySpan<int> ranks, Span<double> result, int roundsLeft)
    {
        var length = parts.Sum(p => (long)p.Length);
        if (length > NarrowAbove && roundsLeft > 0 && Narrow(parts, ranks, result, roundsLeft))
            return;
        var values = parts.Count == 1 ? parts[0].Span : Concat(parts, length);
        Select(values, ranks);
        for (var i = 0; i < ranks.Length; i++)
            result[i] = values[ranks[i]];
    }

    /// <summary>False when the range is too wide or too narrow to scale into buckets.</summary>
    private static bool Narrow(IReadOnlyList<Memory<double>> parts, ReadOnlySpan<int> ranks, Span<double> result, int roundsLeft)
    {
        var (min, max) = (parts[0].Span[0], parts[0].Span[0]);
        foreach (var part in parts)
        {
            foreach (var x in part.Span)
            {
                if (x < min)
                    min = x;
                if (x > max)
                    max = x;
            }
        }
        if (min == max)
        {
            // All equal (but for the sign of a zero): each rank's own value, as a selection leaves them in place.
            for (var i = 0; i < ranks.Length; i++)
                result[i] = At(parts, ranks[i]);
            return true;
        }
        var scale = Buckets / (max - min);
        if (!double.IsFinite(max - min) || !double.IsFinite(scale))
            return false;

        // The value max lands in an extra last bucket of its own.
        var counts = new int[Buckets + 1];
        foreach (var part in parts)
            foreach (var x in part.Span)
                counts[(int)((x - min) * scale)]++;

        // Which bucket holds each rank; a kept bucket's values go to their own range of one shared buffer.
        var bucketOf = new int[ranks.Length];
        var kept = new bool[Buckets + 1];
        var start = new int[Buckets + 1];
        var below = new int[Buckets + 1];
        var size = 0;
        for (int i = 0, b = 0, seen = 0; i < ranks.Length; i++)
        {
            while (ranks[i] >= seen + counts[b])
                seen += counts[b++];
            bucketOf[i] = b;
            if (!kept[b])
            {
                kept[b] = true;
                start[b] = size;
                below[b] = seen;
                size += counts[b];
            }
        }
        var buffer = new double[size];
        var next = (int[])start.Clone();
        foreach (var part in parts)
        {
            foreach (var x in part.Span)
            {
                var b = (int)((x - min) * scale);
                if (kept[b])
                    buffer[next[b]++] = x;
            }
        }

        // Each kept bucket answers its own ranks, narrowed again while it is still big.
        for (var first = 0; first < ranks.Length;)
        {
            var b = bucketOf[first];
            var end = first;
            while (end < ranks.Length && bucketOf[end] == b)
                end++;
            var local = new int[end - first];
            for (var i = 0; i < local.Length; i++)
                local[i] = ranks[first + i] - below[b];
            ValuesAt([buffer.AsMemory(start[b], counts[b])], local, result[first..end], roundsLeft - 1);
            first = end;
        }
        return true;
    }

    private static double At(IReadOnlyList<Memory<double>> parts, long index)
    {
        var part = 0;
        for (; index >= parts[part].Length; part++)
            index -= parts[part].Length;
        return parts[part].Span[(int)index];
    }

    private static double[] Concat(IReadOnlyList<Memory<double>> parts, long length)
    {
        var all = GC.AllocateUninitializedArray<double>(checked((int)length));
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(all.AsSpan(at));
            at += part.Length;
        }
        return all;
    }

    private static void Select(Span<double> part, ReadOnlySpan<int> ranks, int offset, int depthLeft)
    {
        while (!ranks.IsEmpty)
        {
            if (part.Length <= SortBelow || depthLeft-- == 0)
            {
                part.Sort();
                return;
            }
            var (less, notGreater) = Partition(part, MedianOfThree(part[0], part[part.Length / 2], part[^1]));
            var firstEqual = FirstAtLeast(ranks, offset + less);
            var firstGreater = FirstAtLeast(ranks, offset + notGreater);
            Select(part[..less], ranks[..firstEqual], offset, depthLeft);
            part = part[notGreater..];
            ranks = ranks[firstGreater..];
            offset += notGreater;
        }
    }

    /// <summary>Dijkstra's three-way partition: [0, less) &lt; pivot, [less, notGreater) == pivot, the rest &gt; pivot.</summary>
    private static (int Less, int NotGreater) Partition(Span<double> part, double pivot)
    {
        int less = 0, i = 0, greater = part.Length;
        while (i < greater)
        {
            var x = part[i];
            if (x < pivot)
            {
                part[i++] = part[less];
                part[less++] = x;
            }
            else if (x > pivot)
            {
                part[i] = part[--greater];
                part[greater] = x;
            }
            else
            {
                i++;
            }
        }
        return (less, greater);
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);

    private static int FirstAtLeast(ReadOnlySpan<int> ranks, int rank)
    {
        var i = 0;
        while (i < ranks.Length && ranks[i] < rank)
            i++;
        return i;
    }
}
