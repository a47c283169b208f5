using ControlPlane.Domain.Production;
using ControlPlane.Web.Components.Shared;

namespace ControlPlane.Web.Components.Pages.Production;

/// <summary>How a production monitor's definition reads in a line of text.</summary>
public static class ProductionText
{
    public static string Target(ProductionMonitorView m) => m.Target switch
    {
        ProductionTarget.Alias => $"alias {m.TargetValue}",
        ProductionTarget.Stage => $"the {m.TargetValue} stage",
        ProductionTarget.Versions => $"v{m.TargetValue.Replace(",", ", v", StringComparison.Ordinal)}",
        _ => throw new ArgumentOutOfRangeException(nameof(m), m.Target, null),
    };

    public static string Objectives(ProductionMonitorSettings s)
    {
        var parts = new List<string>();
        if (s.LatencyP95Ms is { } p95) parts.Add($"p95 ≤ {Figures.Format(p95)} ms");
        if (s.LatencyP99Ms is { } p99) parts.Add($"p99 ≤ {Figures.Format(p99)} ms");
        if (s.MaxErrorRate is { } errors) parts.Add($"errors ≤ {Percent.Format(errors)}");
        if (s.MaxMissingRate is { } missing) parts.Add($"missing ≤ {Percent.Format(missing)}");
        if (s.MinPredictions is { } min) parts.Add($"≥ {Figures.Count(min)} predictions");
        if (s.PerformanceMetric is { } metric && s.PerformanceThreshold is { } bound) parts.Add($"{metric} bound {Figures.Format(bound)}");
        return string.Join(", ", parts);
    }
}
