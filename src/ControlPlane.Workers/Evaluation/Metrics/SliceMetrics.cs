namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// The same metrics computed separately for each value of a categorical slice column (one string per row, null counted
/// as "(missing)"), for fairness checks. Slices come in ordinal order of their values; binary slice reports leave out
/// the ROC and PR curves.
/// </summary>
public static class SliceMetrics
{
    public static IReadOnlyList<SliceReport<BinaryReport>> Binary(
        ReadOnlySpan<string?> slices, ReadOnlySpan<byte> labels, ReadOnlySpan<double> scores, double threshold = BinaryMetrics.DefaultThreshold)
    {
        var accumulator = new BinaryAccumulator(threshold, labels.Length);
        accumulator.Add(labels, scores, Required(slices, labels.Length));
        return accumulator.BuildSlices();
    }

    public static IReadOnlyList<SliceReport<MulticlassReport>> Multiclass(
        ReadOnlySpan<string?> slices, ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, IReadOnlyList<string> classNames)
    {
        var accumulator = new MulticlassAccumulator(classNames);
        accumulator.Add(labels, probabilities, Required(slices, labels.Length));
        return accumulator.BuildSlices();
    }

    public static IReadOnlyList<SliceReport<MulticlassReport>> Multiclass(
        ReadOnlySpan<string?> slices, ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, IReadOnlyList<string> classNames)
    {
        var accumulator = new MulticlassAccumulator(classNames);
        accumulator.Add(labels, probabilities, Required(slices, labels.Length));
        return accumulator.BuildSlices();
    }

    public static IReadOnlyList<SliceReport<RegressionReport>> Regression(
        ReadOnlySpan<string?> slices, ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        var accumulator = new RegressionAccumulator(actual.Length);
        accumulator.Add(actual, predicted, Required(slices, actual.Length));
        return accumulator.BuildSlices();
    }

    // An empty span would mean "no slices" to an accumulator; here it must be one value per row.
    private static ReadOnlySpan<string?> Required(ReadOnlySpan<string?> slices, int rows)
    {
        Inputs.SameLength(rows, slices.Length, nameof(slices));
        return slices;
    }
}
