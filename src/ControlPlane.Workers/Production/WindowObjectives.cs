using ControlPlane.Domain.Production;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Judges a window by its monitor's objectives. Every objective is optional; one that is set and missed is a breach
/// of its kind: <see cref="Slo"/> (latency, error rate, volume), <see cref="Performance"/> (the realised metric, judged
/// only on at least <see cref="ProductionMonitorSettings.MinLabelled"/> labels) or <see cref="Drift"/> (the data-level
/// verdict, missing values).
/// </summary>
public static class WindowObjectives
{
    public const string Drift = "drift";
    public const string Performance = "performance";
    public const string Slo = "slo";

    /// <param name="driftShare">Share of watched features drifted against the reference; null without a reference.</param>
    public static IReadOnlyList<ObjectiveResult> Judge(ProductionMonitorSettings settings, ProductionWindowResult window, bool? drifted, double? driftShare)
    {
        var results = new List<ObjectiveResult>();
        void AtMost(string name, string kind, double? bound, double? actual) =>
            Add(name, kind, bound, actual, actual is { } a && bound is { } b ? a <= b : null);
        void Add(string name, string kind, double? bound, double? actual, bool? met)
        {
            if (bound is { } b)
                results.Add(new ObjectiveResult(name, kind, b, actual, met));
        }

        AtMost("latencyP95", Slo, settings.LatencyP95Ms, window.Latency?.P95);
        AtMost("latencyP99", Slo, settings.LatencyP99Ms, window.Latency?.P99);
        AtMost("errorRate", Slo, settings.MaxErrorRate, window.ErrorRate);
        Add("minPredictions", Slo, settings.MinPredictions, window.Predictions, window.Predictions >= settings.MinPredictions);
        var worstMissing = window.Features.Count == 0 || window.Predictions == 0 ? (double?)null : window.Features.Max(f => f.MissingRate);
        AtMost("missingRate", Drift, settings.MaxMissingRate, worstMissing);
        Add("dataDrift", Drift, settings.DriftShare, driftShare, drifted is { } d ? !d : null);

        if (settings.PerformanceMetric is { } metric && settings.PerformanceThreshold is { } threshold)
        {
            var actual = window.Realised?.Metrics.TryGetValue(metric, out var value) == true ? value : (double?)null;
            bool? met = actual is { } a && (window.Realised?.Labelled ?? 0) >= settings.MinLabelled
                ? MetricNames.GreaterIsBetter(metric) switch
                {
                    true => a >= threshold,
                    false => a <= threshold,
                    null => null,
                }
                : null;
            results.Add(new ObjectiveResult(metric, Performance, threshold, actual, met));
        }
        return results;
    }

    /// <summary>The kinds with a missed objective, in a fixed order.</summary>
    public static IReadOnlyList<string> Breaches(IReadOnlyList<ObjectiveResult> objectives) =>
        new[] { Drift, Performance, Slo }.Where(kind => objectives.Any(o => o.Kind == kind && o.Met == false)).ToList();
}
