using ControlPlane.Domain.Evaluations;

namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// One slice against the whole: its value of the slice metric (accuracy for classification, RMSE for regression), the
/// overall figure, the gap (negative: worse than overall, whatever the metric's direction) and a 95 % interval.
/// </summary>
public sealed record SliceError(string Slice, long Count, string Metric, double Value, double Overall, double Gap, double? Lower, double? Upper);

/// <summary>
/// The slices furthest below the overall figure, worst first. Classification uses accuracy, a proportion, with the
/// Wilson score interval; regression uses RMSE with the chi-square interval for the root mean square of residuals
/// assumed normal with mean zero, [√(SSE/χ²₀.₉₇₅,ₙ), √(SSE/χ²₀.₀₂₅,ₙ)], the quantiles by the Wilson–Hilferty
/// approximation (within 1 % of the exact quantiles at n = 10, 0.01 % at n = 100).
/// </summary>
public static class SliceErrors
{
    public static IReadOnlyList<SliceError> Rank(EvaluationTask task, IReadOnlyDictionary<string, double> overall, IReadOnlyList<SliceSummary> slices)
    {
        var metric = task == EvaluationTask.Regression ? MetricNames.Rmse : MetricNames.Accuracy;
        if (!overall.TryGetValue(metric, out var whole))
            return [];
        var lowerIsBetter = task == EvaluationTask.Regression;
        return [.. slices
            .Where(s => s.Count > 0 && s.Metrics.ContainsKey(metric))
            .Select(s =>
            {
                var value = s.Metrics[metric];
                var (lower, upper) = lowerIsBetter ? RmseInterval(value, s.Count) : Wilson(value, s.Count);
                return new SliceError(s.Value, s.Count, metric, value, whole, lowerIsBetter ? whole - value : value - whole, lower, upper);
            })
            .OrderBy(e => e.Gap).ThenBy(e => e.Slice, StringComparer.Ordinal)];
    }

    private static (double?, double?) Wilson(double accuracy, long count)
    {
        var (lower, upper) = WilsonInterval.Of((long)Math.Round(accuracy * count), count);
        return (lower, upper);
    }

    private static (double?, double?) RmseInterval(double rmse, long count)
    {
        var sse = rmse * rmse * count;
        return (Math.Sqrt(sse / ChiSquareQuantile(0.975, count)), Math.Sqrt(sse / ChiSquareQuantile(0.025, count)));
    }

    /// <summary>Wilson–Hilferty: χ²ₚ(k) ≈ k·(1 − 2/(9k) + zₚ·√(2/(9k)))³.</summary>
    internal static double ChiSquareQuantile(double p, long degrees)
    {
        var z = p switch { 0.975 => WilsonInterval.Z95, 0.025 => -WilsonInterval.Z95, _ => throw new ArgumentOutOfRangeException(nameof(p)) };
        var k = (double)degrees;
        var c = 2 / (9 * k);
        return k * Math.Pow(1 - c + z * Math.Sqrt(c), 3);
    }
}
