using System.Collections.Concurrent;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Drift;

/// <summary>
/// Reference columns already sorted (numerical) or counted (categorical), kept across a monitor's runs: a dataset
/// version's file never changes, so each run only reads and sorts the current data. Bounded by the number of values
/// held; the least recently used columns go first.
/// </summary>
public sealed class ReferenceSampleCache(long maxValues = ReferenceSampleCache.DefaultMaxValues)
{
    /// <summary>About 256 MB of doubles.</summary>
    public const long DefaultMaxValues = 32_000_000;

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private long _held;

    public readonly record struct Key(Guid DatasetVersionId, string Column, bool Numerical);

    private sealed class Entry(DriftColumnInput input, long size)
    {
        public DriftColumnInput Input { get; } = input;
        public long Size { get; } = size;
        public long LastUsed { get; set; } = Environment.TickCount64;
    }

    public bool TryGet(Key key, out DriftColumnInput input)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastUsed = Environment.TickCount64;
            input = entry.Input;
            return true;
        }
        input = null!;
        return false;
    }

    /// <summary>Sorts or counts a freshly read reference column once, caches it, and returns the prepared input.</summary>
    public DriftColumnInput Add(Key key, double[]? numbers, IReadOnlyList<string?>? categories)
    {
        var input = numbers is not null
            ? DriftColumnInput.Numerical(key.Column, SortedSample.FromOwned(numbers))
            : DriftColumnInput.Categorical(key.Column, CategorySample.From(categories!));
        var size = numbers?.LongLength ?? categories!.Count / 8; // counts are small; weigh them lightly
        if (size > maxValues)
            return input;
        if (_entries.TryAdd(key, new Entry(input, size)))
            Interlocked.Add(ref _held, size);
        Trim();
        return input;
    }

    private void Trim()
    {
        while (Interlocked.Read(ref _held) > maxValues && !_entries.IsEmpty)
        {
            var oldest = _entries.MinBy(e => e.Value.LastUsed);
            if (_entries.TryRemove(oldest.Key, out var removed))
                Interlocked.Add(ref _held, -removed.Size);
        }
    }
}
