namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// The values of one numerical column kept for its quantiles: all of them while the shared budget allows, then a
/// uniform reservoir sample (Algorithm R) of at most <c>sampleSize</c>. The seed is fixed so a profile is reproducible.
/// </summary>
internal sealed class HeldValues(HeldValuesBudget budget, int sampleSize, int seed)
{
    private double[] _values = [];
    private int _count;
    private long _seen;
    private Random? _random;

    /// <summary>True once some values were left out, so quantiles come from a sample.</summary>
    public bool IsSample => _seen > _count;

    public Span<double> Values => _values.AsSpan(0, _count);

    public void Add(ReadOnlySpan<double> values)
    {
        if (_random is null)
        {
            if (_count + (long)values.Length <= Array.MaxLength && budget.TryTake(values.Length))
            {
                EnsureCapacity(_count + values.Length);
                values.CopyTo(_values.AsSpan(_count));
                _count += values.Length;
                _seen += values.Length;
                return;
            }
            StartSampling();
        }
        foreach (var value in values)
            Offer(value);
    }

    private void StartSampling()
    {
        budget.Return(_count);
        _random = new Random(seed);

        // The held values are the stream's first items: run Algorithm R over them in place (slot j < sampleSize <= i).
        for (var i = sampleSize; i < _count; i++)
        {
            var j = _random.NextInt64(i + 1);
            if (j < sampleSize)
                _values[j] = _values[i];
        }
        _count = Math.Min(_count, sampleSize);
        Array.Resize(ref _values, Math.Min(_values.Length, sampleSize));
    }

    private void Offer(double value)
    {
        if (_count < sampleSize)
        {
            EnsureCapacity(_count + 1);
            _values[_count++] = value;
        }
        else
        {
            var j = _random!.NextInt64(_seen + 1);
            if (j < sampleSize)
                _values[j] = value;
        }
        _seen++;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _values.Length)
            return;
        var grown = Math.Max(needed, (int)Math.Min(Math.Max(1024L, 2L * _values.Length), Array.MaxLength));
        if (_random is not null)
            grown = Math.Min(grown, sampleSize);
        Array.Resize(ref _values, grown);
    }
}
