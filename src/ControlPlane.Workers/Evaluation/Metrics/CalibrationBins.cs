namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// scikit-learn's <c>calibration_curve(strategy="uniform", n_bins=10)</c>: edges from <c>linspace(0, 1, 11)</c>, a
/// score's bin from <c>searchsorted(inner edges, score)</c> (so a score on an edge belongs to the bin below), sums in
/// row order as <c>bincount</c> adds them.
/// </summary>
internal static class CalibrationBins
{
    public const int Bins = 10;

    private static readonly double[] Edges = [.. Enumerable.Range(0, Bins + 1).Select(k => k == Bins ? 1.0 : k * (1.0 / Bins))];

    /// <summary>Null when a score lies outside [0, 1]: they are not probabilities (scikit-learn raises).</summary>
    public static IReadOnlyList<CalibrationBin>? Compute(ReadOnlySpan<byte> labels, ReadOnlySpan<double> scores)
    {
        var counts = new long[Bins];
        var positives = new long[Bins];
        var sums = new double[Bins];
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (score is < 0 or > 1)
                return null;
            var bin = 0;
            while (bin < Bins - 1 && Edges[bin + 1] < score)
                bin++;
            counts[bin]++;
            positives[bin] += labels[i];
            sums[bin] += score;
        }
        var result = new List<CalibrationBin>(Bins);
        for (var bin = 0; bin < Bins; bin++)
        {
            if (counts[bin] > 0)
                result.Add(new CalibrationBin(Edges[bin], Edges[bin + 1], counts[bin], sums[bin] / counts[bin], (double)positives[bin] / counts[bin]));
        }
        return result;
    }
}
