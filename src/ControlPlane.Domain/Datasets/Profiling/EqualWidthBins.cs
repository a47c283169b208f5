namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// numpy.histogram's equal-width binning over [min, max], reproduced step by step (edges from linspace, index from
/// the scaled offset, then one correction against the edges) so every count matches numpy, boundary values included.
/// </summary>
public sealed class EqualWidthBins
{
    private readonly double[] _edges;
    private readonly double _first;
    private readonly double _scale;

    public EqualWidthBins(double min, double max, int bins)
    {
        if (min == max)
        {
            min -= 0.5;
            max += 0.5;
        }
        var step = (max - min) / bins;
        _edges = new double[bins + 1];
        for (var k = 0; k < bins; k++)
            _edges[k] = step == 0 ? (double)k / bins * (max - min) + min : k * step + min;
        _edges[bins] = max;
        _first = min;
        _scale = bins / (max - min);
    }

    public IReadOnlyList<double> Edges => _edges;
    public int Count => _edges.Length - 1;

    /// <summary>The bin of a value in [min, max]: [a, b) except the last, [a, b].</summary>
    public int IndexOf(double value)
    {
        var i = Math.Clamp((int)((value - _first) * _scale), 0, Count - 1);
        if (value < _edges[i])
            i--;
        else if (i != Count - 1 && value >= _edges[i + 1])
            i++;
        return i;
    }

    public long[] CountAll(ReadOnlySpan<double> values)
    {
        var counts = new long[Count];
        Tally(values, counts);
        return counts;
    }

    public long[] CountAll(IReadOnlyList<Memory<double>> parts)
    {
        var counts = new long[Count];
        foreach (var part in parts)
            Tally(part.Span, counts);
        return counts;
    }

    private void Tally(ReadOnlySpan<double> values, long[] counts)
    {
        foreach (var value in values)
            counts[IndexOf(value)]++;
    }
}
