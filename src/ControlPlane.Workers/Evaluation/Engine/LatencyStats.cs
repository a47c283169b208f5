namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>Per-batch durations and their percentiles (linear interpolation between closest ranks).</summary>
internal sealed class LatencyStats(int expectedBatches)
{
    private readonly List<double> _milliseconds = new(Math.Max(expectedBatches, 16));

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

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
