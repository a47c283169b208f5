namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// The values of one numerical column kept for its quantiles: all of them while the shared budget allows, then a
/// uniform reservoir sample (Algorithm R) of at most <c>sampleSize</c>. The seed is fixed so a profile is reproducible.
/// Past the first 64 Ki values they are kept in chunks of that size: growing one array would copy every value again
/// and, until the GC runs, keep the old copies too, near doubling the peak memory of a big file's profile.
/// </summary>
internal sealed class HeldValues(HeldValuesBudget budget, int sampleSize, int seed)
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;

    // The first chunk grows from small (most columns of small files never fill it); the others are allocated full.
    private readonly List<double[]> _chunks = [[]];
    private int _count;
    private long _seen;
    private Random? _random;

    /// <summary>True once some values were left out, so quantiles come from a sample.</summary>
    public bool IsSample => _seen > _count;

    public void Add(ReadOnlySpan<double> values)
    {
        if (_random is null)
        {
            if (_count + (long)values.Length <= Array.MaxLength && budget.TryTake(values.Length))
            {
                Append(values);
                _seen += values.Length;
                return;
            }
            StartSampling();
        }
        foreach (var value in values)
            Offer(value);
    }

    public int Count => _count;

    /// <summary>The held values, chunk by chunk.</summary>
    public IReadOnlyList<Memory<double>> Parts =>
        [.. _chunks.Select((chunk, i) => chunk.AsMemory(0, Math.Min(chunk.Length, _count - (i << ChunkBits))))];

    private ref double At(long index) => ref _chunks[(int)(index >> ChunkBits)][index & (ChunkSize - 1)];

    private void StartSampling()
    {
        budget.Return(_count);
        _random = new Random(seed);

        // The held values are the stream's first items: run Algorithm R over them in place (slot j < sampleSize <= i).
        for (var i = sampleSize; i < _count; i++)
        {
            var j = _random.NextInt64(i + 1);
            if (j < sampleSize)
                At(j) = At(i);
        }
        _count = Math.Min(_count, sampleSize);
        var kept = Math.Max(1, (int)(((long)_count + ChunkSize - 1) >> ChunkBits));
        _chunks.RemoveRange(kept, _chunks.Count - kept);
    }

    private void Offer(double value)
    {
        if (_count < sampleSize)
        {
            Append(new ReadOnlySpan<double>(in value));
        }
        else
        {
            var j = _random!.NextInt64(_seen + 1);
            if (j < sampleSize)
                At(j) = value;
        }
        _seen++;
    }

    private void Append(ReadOnlySpan<double> values)
    {
        while (!values.IsEmpty)
        {
            var (chunk, offset) = (_count >> ChunkBits, _count & (ChunkSize - 1));
            if (chunk == _chunks.Count)
                _chunks.Add(GC.AllocateUninitializedArray<double>(ChunkSize));
            var target = _chunks[chunk];
            if (target.Length < ChunkSize && offset + values.Length > target.Length)
            {
                Array.Resize(ref target, Math.Min(ChunkSize, Math.Max(offset + values.Length, Math.Max(1024, 2 * target.Length))));
                _chunks[chunk] = target;
            }
            var take = Math.Min(values.Length, target.Length - offset);
            values[..take].CopyTo(target.AsSpan(offset));
            _count += take;
            values = values[take..];
        }
    }
}
