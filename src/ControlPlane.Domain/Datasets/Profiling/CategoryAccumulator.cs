using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// A categorical, boolean or text column: a count per distinct value, up to <c>maxDistinct</c> values. Past the cap
/// new values are still counted as present but get no entry, so the distinct count is a lower bound.
/// </summary>
internal sealed class CategoryAccumulator(ProfileColumn column, int maxDistinct, int top) : IColumnAccumulator
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _present;
    private long _missing;
    private bool _capped;

    public void Add(TabularBatch batch, int index)
    {
        foreach (var value in batch.Texts(index).AsSpan(0, batch.Count))
        {
            if (value is null)
            {
                _missing++;
                continue;
            }
            _present++;
            if (_counts.Count < maxDistinct)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_counts, value, out _)++;
                continue;
            }
            ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, value);
            if (Unsafe.IsNullRef(ref count))
                _capped = true;
            else
                count++;
        }
    }

    public ColumnProfile ToProfile() => Summarize(column, _present, _missing, _counts, _capped, top);

    /// <summary>The profile of a column whose values were counted elsewhere.</summary>
    public static ColumnProfile Summarize(
        ProfileColumn column, long present, long missing, IReadOnlyDictionary<string, long> counts, bool capped, int top)
    {
        var mostFrequent = counts
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(pair => new CategoryCount(StoredText.Cut(pair.Key), pair.Value, StoredText.FullLength(pair.Key)))
            .ToArray();
        return new ColumnProfile(column.Name, column.Type, present, missing, 0, null,
            new CategoryProfile(counts.Count, capped, mostFrequent), null);
    }
}
