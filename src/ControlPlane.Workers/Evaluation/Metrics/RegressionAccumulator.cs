using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Collects a regression evaluation batch by batch. It holds y and ŷ (R² needs the final mean, the residual histogram
/// the final range): 16 bytes a row, 20 with slices, in arrays that grow by doubling, so a batch allocates nothing once
/// they are large enough; give <paramref name="capacity"/> when the row count is known. A batch that fails its checks
/// leaves the accumulator unchanged.
/// </summary>
public sealed class RegressionAccumulator(int capacity = 0)
{
    private readonly List<double> _actual = new(capacity);
    private readonly List<double> _predicted = new(capacity);
    private readonly SliceColumn _slices = new(capacity);

    public long Count => _actual.Count;

    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, ReadOnlySpan<string?> slices = default)
    {
        Check(actual, predicted.Length, slices);
        Inputs.Finite(predicted, nameof(predicted));
        Append(actual, slices);
        _predicted.AddRange(predicted);
    }

    /// <summary>Float predictions, as ONNX models output them; widened to double exactly.</summary>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<float> predicted, ReadOnlySpan<string?> slices = default)
    {
        Check(actual, predicted.Length, slices);
        Inputs.Finite(predicted, nameof(predicted));
        Append(actual, slices);
        foreach (var value in predicted)
            _predicted.Add(value);
    }

    public RegressionReport Build() => RegressionMetrics.Compute(CollectionsMarshal.AsSpan(_actual), CollectionsMarshal.AsSpan(_predicted));

    /// <summary>One report per slice value, in ordinal order of the values; empty when no batch had slices.</summary>
    public IReadOnlyList<SliceReport<RegressionReport>> BuildSlices()
    {
        var reports = new List<SliceReport<RegressionReport>>();
        foreach (var (value, rows) in _slices.Groups())
        {
            var actual = new double[rows.Count];
            var predicted = new double[rows.Count];
            for (var k = 0; k < rows.Count; k++)
                (actual[k], predicted[k]) = (_actual[rows[k]], _predicted[rows[k]]);
            reports.Add(new SliceReport<RegressionReport>(value, rows.Count, RegressionMetrics.Compute(actual, predicted)));
        }
        return reports;
    }

    private void Check(ReadOnlySpan<double> actual, int predictedCount, ReadOnlySpan<string?> slices)
    {
        Inputs.SameLength(actual.Length, predictedCount, "predicted");
        Inputs.Finite(actual, nameof(actual));
        _slices.Check(slices, actual.Length, Count);
    }

    private void Append(ReadOnlySpan<double> actual, ReadOnlySpan<string?> slices)
    {
        _slices.Append(slices);
        _actual.AddRange(actual);
    }
}
