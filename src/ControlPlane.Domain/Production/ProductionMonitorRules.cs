using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Production;

/// <summary>What a production monitor's settings may hold; each refusal names its field.</summary>
public static class ProductionMonitorRules
{
    /// <summary>
    /// The metrics a window's realised performance has, by the evaluation's names (the Workers' <c>MetricNames</c>,
    /// which the Domain cannot reference; a test keeps the two lists equal).
    /// </summary>
    public static IReadOnlyList<string> Metrics { get; } =
        ["accuracy", "precision", "recall", "f1", "rocAuc", "prAuc", "logLoss", "brier", "macroF1", "weightedF1", "rmse", "mae", "r2"];

    public const int MaxCooldownMinutes = 60 * 24 * 30;

    public static void Validate(ProductionMonitorSettings settings)
    {
        if (!(settings.DriftAlpha is > 0 and < 1))
            throw Invalid("settings.driftAlpha", "The drift alpha is a probability between 0 and 1 (exclusive), e.g. 0.05.");
        if (!(settings.DriftShare is > 0 and <= 1))
            throw Invalid("settings.driftShare", "The drifted share is above 0 and at most 1.");
        if (settings.MaxMissingRate is { } missing && !(missing is > 0 and <= 1))
            throw Invalid("settings.maxMissingRate", "The highest missing rate is above 0 and at most 1.");
        if (settings.MaxErrorRate is { } errors && !(errors is > 0 and <= 1))
            throw Invalid("settings.maxErrorRate", "The highest error rate is above 0 and at most 1.");
        Positive(settings.LatencyP95Ms, "settings.latencyP95Ms", "The p95 latency objective");
        Positive(settings.LatencyP99Ms, "settings.latencyP99Ms", "The p99 latency objective");
        if (settings.MinPredictions is < 1)
            throw Invalid("settings.minPredictions", "The fewest predictions per window is at least 1.");
        if (settings.MinLabelled < 1)
            throw Invalid("settings.minLabelled", "The fewest labelled predictions that judge performance is at least 1.");
        if (!(settings.ScoreThreshold is > 0 and < 1))
            throw Invalid("settings.scoreThreshold", "The score threshold is between 0 and 1 (exclusive).");
        switch (settings.PerformanceMetric, settings.PerformanceThreshold)
        {
            case (null, null):
                break;
            case ({ } metric, { } bound):
                if (!Metrics.Contains(metric, StringComparer.Ordinal))
                    throw Invalid("settings.performanceMetric", $"'{metric}' is not a metric a window computes; use one of {string.Join(", ", Metrics)}.");
                if (!double.IsFinite(bound))
                    throw Invalid("settings.performanceThreshold", "The performance bound is a finite number.");
                break;
            default:
                throw Invalid("settings.performanceMetric", "Name the performance metric and its bound together, or neither.");
        }
        foreach (var feature in settings.Features)
        {
            if (string.IsNullOrWhiteSpace(feature) || feature.Length > 256)
                throw Invalid("settings.features", "Each watched feature is a column name of 1 to 256 characters.");
        }
    }

    private static void Positive(double? value, string field, string what)
    {
        if (value is { } v && !(double.IsFinite(v) && v > 0))
            throw Invalid(field, $"{what} is a finite number above 0.");
    }

    internal static ValidationException Invalid(string field, string message) => ValidationException.For(field, message);
}
