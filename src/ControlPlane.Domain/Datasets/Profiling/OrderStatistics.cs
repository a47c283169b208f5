using System.Numerics;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// Puts the k-th smallest value at index k for a few ranks k without sorting everything: a quickselect that follows
/// only the parts holding wanted ranks, with a three-way partition (data often repeats values) and a sort once a
/// part is small or the recursion gets too deep (so the worst case stays n log n).
/// </summary>
internal static class OrderStatistics
{
    private const int SortBelow = 32;

    /// <param name="values">Finite values; reordered in place.</param>
    /// <param name="ranks">0-based ranks, ascending.</param>
    public static void Select(Span<double> values, ReadOnlySpan<int> ranks) =>
        Select(values, ranks, 0, 2 * (BitOperations.Log2((uint)values.Length) + 1));

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
