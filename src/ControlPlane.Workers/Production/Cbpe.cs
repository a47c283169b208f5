using ControlPlane.Domain.Production;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Confidence-based performance estimation (CBPE, as NannyML defines it) for a binary classifier without labels:
/// if scores are calibrated, a row predicted positive (p ≥ t) is a true positive with probability p and a false
/// positive with 1 − p; one predicted negative is a false negative with p and a true negative with 1 − p. The
/// expected confusion matrix gives the estimates. Under the same assumption each row's correctness is an independent
/// Bernoulli draw, so accuracy's standard error is √Σ p(1−p) / n exactly (c(1−c) = p(1−p) for c = max(p, 1−p)) and
/// precision's √Σ_{p≥t} p(1−p) / m (m predicted positives, fixed by the threshold); recall and F1 are ratios of two
/// independent sums, their standard errors from the delta method. The band is ±1.96 SE, clipped to [0, 1].
/// </summary>
public static class Cbpe
{
    public const string Method = "CBPE";
    private const double Z95 = 1.96;

    public static IReadOnlyList<EstimatedPerformance> Estimate(CbpeSums sums)
    {
        var n = sums.Rows;
        if (n == 0)
            return [];
        var m = (double)sums.PredictedPositive;
        var tp = sums.PositiveScoreSum;
        var fn = sums.NegativeScoreSum;
        var tn = n - m - fn;
        var (varTp, varFn) = (sums.PositiveVariance, sums.NegativeVariance);

        var estimates = new List<EstimatedPerformance>
        {
            Band(MetricNames.Accuracy, (tp + tn) / n, Math.Sqrt(varTp + varFn) / n, n),
        };
        if (m > 0)
            estimates.Add(Band(MetricNames.Precision, tp / m, Math.Sqrt(varTp) / m, n));
        if (tp + fn > 0)
        {
            // R = A / (A + B), A = TP, B = FN: ∂R/∂A = B/(A+B)², ∂R/∂B = −A/(A+B)².
            var s = tp + fn;
            estimates.Add(Band(MetricNames.Recall, tp / s, Math.Sqrt(fn * fn * varTp + tp * tp * varFn) / (s * s), n));
        }
        if (m + tp + fn > 0)
        {
            // F1 = 2A / (m + A + B): ∂F/∂A = 2(m + B)/(m+A+B)², ∂F/∂B = −2A/(m+A+B)².
            var d = m + tp + fn;
            var f1 = 2 * tp / d;
            var se = Math.Sqrt(Math.Pow(2 * (m + fn), 2) * varTp + Math.Pow(2 * tp, 2) * varFn) / (d * d);
            estimates.Add(Band(MetricNames.F1, f1, se, n));
        }
        return estimates;
    }

    private static EstimatedPerformance Band(string metric, double value, double se, long rows) =>
        new(Method, metric, value, se, Math.Clamp(value - Z95 * se, 0, 1), Math.Clamp(value + Z95 * se, 0, 1), rows);
}
