namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>Reference and current counts over shared bins or categories: what PSI, Jensen–Shannon and chi-square compare.</summary>
internal sealed record Binned(long[] Reference, long[] Current)
{
    public long ReferenceTotal { get; } = Total(Reference);
    public long CurrentTotal { get; } = Total(Current);

    public int Count => Reference.Length;

    /// <summary>Bins (−∞, e₁], (e₁, e₂], …, (eₖ, ∞) over ascending distinct edges.</summary>
    public static Binned ByEdges(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, IReadOnlyList<double> edges) =>
        new(CountByEdges(reference, edges), CountByEdges(current, edges));

    /// <summary>One category per distinct value present on either side, ascending.</summary>
    public static Binned ByValue(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        var referenceCounts = new List<long>();
        var currentCounts = new List<long>();
        int i = 0, j = 0;
        while (i < reference.Length || j < current.Length)
        {
            var value = i == reference.Length ? current[j]
                : j == current.Length ? reference[i]
                : Math.Min(reference[i], current[j]);
            var i0 = i;
            var j0 = j;
            while (i < reference.Length && reference[i] == value)
                i++;
            while (j < current.Length && current[j] == value)
                j++;
            referenceCounts.Add(i - i0);
            currentCounts.Add(j - j0);
        }
        return new([.. referenceCounts], [.. currentCounts]);
    }

    /// <summary>Counts of values ≤ each edge, by binary search over the sorted sample, differenced into bins.</summary>
    private static long[] CountByEdges(ReadOnlySpan<double> sorted, IReadOnlyList<double> edges)
    {
        var counts = new long[edges.Count + 1];
        long below = 0;
        for (var k = 0; k < edges.Count; k++)
        {
            long atOrBelow = SortedSearch.UpperBound(sorted, edges[k]);
            counts[k] = atOrBelow - below;
            below = atOrBelow;
        }
        counts[edges.Count] = sorted.Length - below;
        return counts;
    }

    private static long Total(long[] counts)
    {
        long total = 0;
        foreach (var count in counts)
            total += count;
        return total;
    }
}
