namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>One categorical column's category counts (ordinal string comparison); null is missing. Immutable and shareable.</summary>
public sealed class CategorySample
{
    private CategorySample(Dictionary<string, int> counts, int count, int missing)
    {
        Counts = counts;
        Count = count;
        MissingCount = missing;
    }

    public IReadOnlyDictionary<string, int> Counts { get; }
    public int Count { get; }
    public int MissingCount { get; }
    public int TotalCount => Count + MissingCount;
    public double MissingShare => TotalCount == 0 ? 0 : (double)MissingCount / TotalCount;

    public static CategorySample From(IReadOnlyList<string?> values)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                missing++;
                continue;
            }
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }
        return new CategorySample(counts, values.Count - missing, missing);
    }
}
