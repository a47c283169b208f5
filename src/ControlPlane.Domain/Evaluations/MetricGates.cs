using System.Globalization;

namespace ControlPlane.Domain.Evaluations;

/// <summary>
/// Checks a candidate's metrics against <see cref="MetricThreshold"/>s the way MLflow's model validation does:
/// <list type="bullet">
/// <item>a metric missing from the candidate (or not finite) fails;</item>
/// <item>threshold: candidate ≥ threshold when greater is better, ≤ otherwise;</item>
/// <item>min absolute change: candidate ≥ baseline + change when greater is better, ≤ baseline − change otherwise;</item>
/// <item>min relative change: the improvement over the baseline, divided by it, must be at least the change; a baseline of
/// 0 falls back to "strictly better by 1e-10", as in MLflow. We divide by |baseline| where MLflow divides by the signed
/// baseline, which turns the comparison around when the baseline is negative (an R² of −0.2, say);</item>
/// <item>with no baseline value, a gate that compares to the baseline fails with "no baseline"; a threshold alone is
/// still checked.</item>
/// </list>
/// </summary>
public static class MetricGates
{
    private const double ZeroBaselineMargin = 1e-10;

    public static IReadOnlyList<GateResult> Evaluate(
        IReadOnlyDictionary<string, double> candidateMetrics,
        IReadOnlyDictionary<string, double>? baselineMetrics,
        IEnumerable<MetricThreshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(candidateMetrics);
        ArgumentNullException.ThrowIfNull(thresholds);
        return [.. thresholds.Select(gate => Evaluate(candidateMetrics, baselineMetrics, gate))];
    }

    private static GateResult Evaluate(IReadOnlyDictionary<string, double> candidates, IReadOnlyDictionary<string, double>? baselines, MetricThreshold gate)
    {
        Validate(gate);
        var name = gate.Metric;
        var candidate = ValueOf(candidates, name);
        var baseline = baselines is null ? null : ValueOf(baselines, name);
        var delta = candidate - baseline;
        var relativeDelta = baseline is null or 0 ? null : delta / Math.Abs(baseline.Value);
        if (candidate is not { } value)
            return new GateResult(name, null, baseline, null, null, false, $"{name} failed: it is missing from the candidate's metrics.");

        // Figures read at six significant digits (0.7867, not 0.7866766126093294), unless that would show the value
        // equal to a bound it is judged against: then every figure is written in full, so the verdict can be checked.
        var bounds = new[] { gate.Threshold, baseline, baseline + gate.MinAbsoluteChange, baseline - gate.MinAbsoluteChange };
        var precise = bounds.Any(b => b is { } x && x != value && Short(x) == Short(value));
        string F(double x) => precise ? x.ToString("R", CultureInfo.InvariantCulture) : Short(x);

        var passed = new List<string>();
        var failed = new List<string>();
        void Check(bool ok, string passText, string failText) => (ok ? passed : failed).Add(ok ? passText : failText);

        var better = gate.GreaterIsBetter ? "≥" : "≤";
        if (gate.Threshold is { } threshold)
            Check(AtLeastAsGood(value, threshold, gate), $"{better} threshold {F(threshold)}", $"{(gate.GreaterIsBetter ? "below" : "above")} threshold {F(threshold)}");

        if (gate.ComparesToBaseline && baseline is null)
            failed.Add($"no baseline: there is no baseline {name} to compare with");
        else if (baseline is { } reference)
        {
            if (gate.MinAbsoluteChange is { } absolute)
            {
                var needed = gate.GreaterIsBetter ? reference + absolute : reference - absolute;
                var text = $"baseline {F(reference)} {(gate.GreaterIsBetter ? "+" : "−")} {F(absolute)}";
                Check(AtLeastAsGood(value, needed, gate), $"{better} {text}", $"not {better} {text} = {F(needed)}");
            }
            if (gate.MinRelativeChange is { } relative)
            {
                if (reference == 0)
                {
                    var needed = gate.GreaterIsBetter ? ZeroBaselineMargin : -ZeroBaselineMargin;
                    Check(AtLeastAsGood(value, needed, gate), $"better than baseline 0", $"not better than baseline 0 (needs {better} {F(needed)})");
                }
                else
                {
                    var improvement = (gate.GreaterIsBetter ? value - reference : reference - value) / Math.Abs(reference);
                    var text = $"relative improvement {Percent(improvement)} over baseline {F(reference)}";
                    Check(improvement >= relative, $"{text} ≥ {Percent(relative)}", $"{text} < {Percent(relative)}");
                }
            }
        }

        var ok = failed.Count == 0;
        var reason = $"{name} = {F(value)} {(ok ? "passed" : "failed")}: {string.Join("; ", ok ? passed : failed)}.";
        return new GateResult(name, value, baseline, delta, relativeDelta, ok, reason);
    }

    private static bool AtLeastAsGood(double value, double bound, MetricThreshold gate) => gate.GreaterIsBetter ? value >= bound : value <= bound;

    private static double? ValueOf(IReadOnlyDictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out var value) && double.IsFinite(value) ? value : null;

    private static void Validate(MetricThreshold gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        if (string.IsNullOrWhiteSpace(gate.Metric))
            throw new ArgumentException("A metric threshold needs a metric name.", nameof(gate));
        if (gate.Threshold is null && !gate.ComparesToBaseline)
            throw new ArgumentException($"The gate on {gate.Metric} sets no threshold, minimum absolute change or minimum relative change.", nameof(gate));
        if (gate.Threshold is { } threshold && !double.IsFinite(threshold))
            throw new ArgumentException($"The threshold on {gate.Metric} must be a finite number.", nameof(gate));
        if (gate.MinAbsoluteChange is { } absolute && !(absolute > 0 && double.IsFinite(absolute)))
            throw new ArgumentException($"The minimum absolute change on {gate.Metric} must be a positive number, not {Exact(absolute)}.", nameof(gate));
        if (gate.MinRelativeChange is { } relative && relative is not (>= 0 and <= 1))
            throw new ArgumentException($"The minimum relative change on {gate.Metric} must be between 0 and 1, not {Exact(relative)}.", nameof(gate));
    }

    private static string Exact(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Short(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.####", CultureInfo.InvariantCulture) + "%";
}
