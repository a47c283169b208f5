using System.Numerics;

namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Collects a multiclass evaluation batch by batch. Every metric follows from the C × C confusion counts and a running
/// log-loss sum, so no row is held and a batch allocates nothing (a slice's first row creates that slice's counts).
/// A batch that fails its checks leaves the accumulator unchanged.
/// </summary>
public sealed class MulticlassAccumulator
{
    private readonly string[] _classNames;
    private readonly long[] _confusion;
    private readonly SliceColumn _slices = new();
    private readonly List<MulticlassAccumulator> _perSlice = [];
    private CompensatedSum _logLoss;
    private long _count;

    public MulticlassAccumulator(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2)
            throw new ArgumentException($"A multiclass evaluation needs at least 2 classes, got {classNames.Count}.", nameof(classNames));
        _classNames = [.. classNames];
        _confusion = new long[_classNames.Length * _classNames.Length];
    }

    public long Count => _count;

    /// <summary><paramref name="probabilities"/> is row-major, one row of C values per label.</summary>
    public void Add(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, ReadOnlySpan<string?> slices = default)
    {
        Check(labels, probabilities.Length, slices);
        Inputs.Finite(probabilities, nameof(probabilities));
        AddRows(labels, probabilities, slices);
    }

    /// <summary><paramref name="probabilities"/> is row-major, one row of C values per label.</summary>
    public void Add(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, ReadOnlySpan<string?> slices = default)
    {
        Check(labels, probabilities.Length, slices);
        Inputs.Finite(probabilities, nameof(probabilities));
        AddRows(labels, probabilities, slices);
    }

    public MulticlassReport Build() => MulticlassMetrics.FromCounts(_classNames, _confusion, _logLoss.Value);

    /// <summary>One report per slice value, in ordinal order of the values; empty when no batch had slices.</summary>
    public IReadOnlyList<SliceReport<MulticlassReport>> BuildSlices() =>
        [.. _slices.Ordered().Select(id => new SliceReport<MulticlassReport>(_slices.ValueOf(id), _perSlice[id].Count, _perSlice[id].Build()))];

    private void Check(ReadOnlySpan<int> labels, int probabilityCount, ReadOnlySpan<string?> slices)
    {
        var c = _classNames.Length;
        if (probabilityCount != (long)labels.Length * c)
            throw new ArgumentException($"probabilities has {probabilityCount} values; {labels.Length} rows of {c} classes need {(long)labels.Length * c}.", "probabilities");
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)c)
                throw new ArgumentException($"Row {i} has class index {labels[i]}; indices run from 0 to {c - 1}.", nameof(labels));
        }
        _slices.Check(slices, labels.Length, _count);
    }

    private void AddRows<T>(ReadOnlySpan<int> labels, ReadOnlySpan<T> probabilities, ReadOnlySpan<string?> slices)
        where T : struct, IFloatingPointIeee754<T>
    {
        var c = _classNames.Length;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * c, c);
            AddRow(labels[i], row);
            if (slices.IsEmpty)
                continue;
            var id = _slices.IdOf(slices[i]);
            if (id == _perSlice.Count)
                _perSlice.Add(new MulticlassAccumulator(_classNames));
            _perSlice[id].AddRow(labels[i], row);
        }
    }

    private void AddRow<T>(int label, ReadOnlySpan<T> row)
        where T : struct, IFloatingPointIeee754<T>
    {
        var predicted = 0;
        var clippedSum = 0.0;
        for (var k = 0; k < row.Length; k++)
        {
            if (row[k] > row[predicted])
                predicted = k;
            clippedSum += LogLoss.Clip(double.CreateTruncating(row[k]));
        }
        _confusion[label * row.Length + predicted]++;
        _logLoss.Add(LogLoss.Row(LogLoss.Clip(double.CreateTruncating(row[label])), clippedSum));
        _count++;
    }
}
