namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>Per-batch durations and their percentiles (linear interpolation between closest ranks).</summary>
internal sealed class LatencyStats(int expectedBatches)
{
    private readonly List<double> _milliseconds = new(Math.Max(expectedBatches, 16));

    public int Count => _milliseconds.Count;

    public TimeSpan Total => TimeSpan.FromMilliseconds(_milliseconds.Sum());

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    /// <summary>At most <paramref name="max"/> durations, evenly spaced through the run, for a histogram.</summary>
    public IReadOnlyList<double> Sample(int max)
    {
        if (_milliseconds.Count <= max)
            return [.. _milliseconds];
        var step = (double)_milliseconds.Count / max;
        return [.. Enumerable.Range(0, max).Select(i => _milliseconds[(int)(i * step)])];
    }

    public double Percentile(double p)
    {
        if (_milliseconds.Count == 0)
            return 0;
        var sorted = _milliseconds.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
