using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Collects a binary evaluation batch by batch. It holds every label and score (ROC AUC ranks them all): 9 bytes a
/// row, 13 with slices, in arrays that grow by doubling, so a batch allocates nothing once they are large enough;
/// give <paramref name="capacity"/> when the row count is known. A batch that fails its checks leaves the accumulator
/// unchanged.
/// </summary>
public sealed class BinaryAccumulator(double threshold = BinaryMetrics.DefaultThreshold, int capacity = 0)
{
    private readonly double _threshold = double.IsFinite(threshold) ? threshold : throw new ArgumentException($"The threshold must be a finite number, not {threshold}.", nameof(threshold));
    private readonly List<byte> _labels = new(capacity);
    private readonly List<double> _scores = new(capacity);
    private readonly SliceColumn _slices = new(capacity);

    public long Count => _labels.Count;

    public void Add(ReadOnlySpan<byte> labels, ReadOnlySpan<double> scores, ReadOnlySpan<string?> slices = default)
    {
        Check(labels, scores.Length, slices);
        Inputs.Finite(scores, nameof(scores));
        Append(labels, slices);
        _scores.AddRange(scores);
    }

    /// <summary>Float scores, as ONNX models output them; widened to double exactly.</summary>
    public void Add(ReadOnlySpan<byte> labels, ReadOnlySpan<float> scores, ReadOnlySpan<string?> slices = default)
    {
        Check(labels, scores.Length, slices);
        Inputs.Finite(scores, nameof(scores));
        Append(labels, slices);
        foreach (var score in scores)
            _scores.Add(score);
    }

    public BinaryReport Build() =>
        BinaryMetrics.Compute(CollectionsMarshal.AsSpan(_labels), CollectionsMarshal.AsSpan(_scores), _threshold, includeCurves: true);

    /// <summary>One report per slice value (without curves), in ordinal order of the values; empty when no batch had slices.</summary>
    public IReadOnlyList<SliceReport<BinaryReport>> BuildSlices()
    {
        var reports = new List<SliceReport<BinaryReport>>();
        foreach (var (value, rows) in _slices.Groups())
        {
            var labels = new byte[rows.Count];
            var scores = new double[rows.Count];
            for (var k = 0; k < rows.Count; k++)
                (labels[k], scores[k]) = (_labels[rows[k]], _scores[rows[k]]);
            reports.Add(new SliceReport<BinaryReport>(value, rows.Count, BinaryMetrics.Compute(labels, scores, _threshold, includeCurves: false)));
        }
        return reports;
    }

    private void Check(ReadOnlySpan<byte> labels, int scoreCount, ReadOnlySpan<string?> slices)
    {
        Inputs.SameLength(labels.Length, scoreCount, "scores");
        Inputs.BinaryLabels(labels, nameof(labels));
        _slices.Check(slices, labels.Length, Count);
    }

    private void Append(ReadOnlySpan<byte> labels, ReadOnlySpan<string?> slices)
    {
        _slices.Append(slices);
        _labels.AddRange(labels);
    }
}
