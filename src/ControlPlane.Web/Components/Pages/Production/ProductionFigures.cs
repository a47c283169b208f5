using ControlPlane.Domain.Production;
using ControlPlane.Web.Components.Shared;
using Series = ControlPlane.Web.Components.Shared.TimeSeriesChart.Series;
using Kind = ControlPlane.Web.Components.Shared.TimeSeriesChart.Kind;

namespace ControlPlane.Web.Components.Pages.Production;

/// <summary>
/// The production page's charts from a monitor's windows, oldest first. Missing figures are gaps, never zeros.
/// Drift is scored as on the drift pages: 1 is the threshold (the monitor's alpha), above 1 is drift.
/// </summary>
public static class ProductionFigures
{
    /// <summary>Where the drift heatmap's colour stops growing (as on the drift monitor page).</summary>
    public const double ColorMax = 10;

    public const string Met = "#2e7d32", Missed = "#c62828";

    public static IReadOnlyList<DateTime> Times(IReadOnlyList<ProductionWindowView> windows) => windows.Select(w => w.Start).ToList();

    public static IReadOnlyList<Series> Traffic(IReadOnlyList<ProductionWindowView> windows) =>
    [
        new("predictions", windows.Select(w => (double?)w.Predictions).ToList(), Kind.Bar),
        new("error rate", windows.Select(w => w.Result.ErrorRate ?? (w.Predictions > 0 ? (double)w.Errors / w.Predictions : null)).ToList(), Right: true),
    ];

    public static IReadOnlyList<Series> Latency(IReadOnlyList<ProductionWindowView> windows, ProductionMonitorSettings settings)
    {
        var lines = new List<Series>
        {
            new("p50", windows.Select(w => w.Result.Latency?.P50).ToList()),
            new("p95", windows.Select(w => w.Result.Latency?.P95).ToList()),
            new("p99", windows.Select(w => w.Result.Latency?.P99).ToList()),
        };
        if (settings.LatencyP95Ms is { } p95)
            lines.Add(new("p95 objective", windows.Select(_ => (double?)p95).ToList(), Dashed: true));
        if (settings.LatencyP99Ms is { } p99)
            lines.Add(new("p99 objective", windows.Select(_ => (double?)p99).ToList(), Dashed: true));
        return lines;
    }

    /// <summary>The metric the page charts: the monitor's own, else the first headline metric any window has.</summary>
    public static string? Metric(IReadOnlyList<ProductionWindowView> windows, ProductionMonitorSettings settings) =>
        settings.PerformanceMetric
        ?? windows.Select(w => w.Result.Estimated?.Metric).FirstOrDefault(m => m is not null)
        ?? new[] { "rocAuc", "macroF1", "rmse", "r2", "f1", "accuracy" }.FirstOrDefault(m => windows.Any(w => w.Result.Realised?.Metrics.ContainsKey(m) == true));

    public static IReadOnlyList<Series> Performance(IReadOnlyList<ProductionWindowView> windows, string metric, ProductionMonitorSettings settings)
    {
        var estimated = windows.Select(w => w.Result.Estimated is { } e && e.Metric == metric ? e : null).ToList();
        var lines = new List<Series>
        {
            new("label coverage", windows.Select(w => w.Result.Realised?.Coverage ?? (w.Predictions > 0 ? (double)w.Labelled / w.Predictions : null)).ToList(), Kind.Bar, Right: true, Color: "rgba(128,128,128,0.35)"),
        };
        if (estimated.Any(e => e is not null))
        {
            lines.Add(new("CBPE 95% band", estimated.Select(e => e?.Lower).ToList(), Kind.Band, Upper: estimated.Select(e => e?.Upper).ToList(), Color: "rgba(30,136,229,0.2)"));
            lines.Add(new($"{metric} estimated (CBPE)", estimated.Select(e => e?.Value).ToList(), Dashed: true));
        }
        lines.Add(new($"{metric} realised", windows.Select(w => w.Result.Realised?.Metrics.TryGetValue(metric, out var v) == true ? v : (double?)null).ToList()));
        if (settings.PerformanceMetric == metric && settings.PerformanceThreshold is { } bound)
            lines.Add(new($"{metric} objective", windows.Select(_ => (double?)bound).ToList(), Dashed: true, Color: Missed));
        return lines;
    }

    /// <summary>Per window, how many objectives were met and missed (not judged ones are neither); the hover names the missed ones.</summary>
    public static IReadOnlyList<Series> SloBurn(IReadOnlyList<ProductionWindowView> windows)
    {
        var missedNames = windows.Select(w => w.Result.Objectives.Where(o => o.Met == false).Select(o => o.Name).ToList()).ToList();
        return
        [
            new("met", windows.Select(w => (double?)w.Result.Objectives.Count(o => o.Met == true)).ToList(), Kind.Bar, Color: Met),
            new("missed", windows.Select(w => (double?)w.Result.Objectives.Count(o => o.Met == false)).ToList(), Kind.Bar, Color: Missed,
                Hover: missedNames.Select((n, i) => $"{Figures.Utc(windows[i].Start)}: {(n.Count == 0 ? "none missed" : "missed " + string.Join(", ", n))}").ToList()),
        ];
    }

    /// <summary>Rows served per version and variant, stacked per window.</summary>
    public static IReadOnlyList<Series> Served(IReadOnlyList<ProductionWindowView> windows)
    {
        var slices = windows.SelectMany(w => w.Result.Served.Select(s => (s.Version, s.Variant))).Distinct().OrderBy(s => s.Version).ThenBy(s => s.Variant, StringComparer.Ordinal).ToList();
        return slices.Select(s => new Series($"v{s.Version} {s.Variant}",
            windows.Select(w => (double?)w.Result.Served.Where(x => x.Version == s.Version && x.Variant == s.Variant).Sum(x => x.Rows)).ToList(), Kind.Bar)).ToList();
    }

    public sealed record Heat(IReadOnlyList<IReadOnlyList<double>> Values, IReadOnlyList<IReadOnlyList<string>> Texts, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns);

    /// <summary>Features × windows against the reference; null when no window has a feature.</summary>
    public static Heat? Drift(IReadOnlyList<ProductionWindowView> windows, double alpha)
    {
        var names = windows.SelectMany(w => w.Result.Features.Select(f => f.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            return null;
        var cells = names.Select(n => windows.Select(w => w.Result.Features.FirstOrDefault(f => f.Name == n)?.VsReference).ToList()).ToList();
        return new Heat(
            cells.Select(r => (IReadOnlyList<double>)r.Select(f => Score(f, alpha) ?? 0).ToList()).ToList(),
            cells.Select(r => (IReadOnlyList<string>)r.Select(Text).ToList()).ToList(),
            names,
            windows.Select(w => w.Start.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }

    /// <summary>−log10 of the adjusted p-value over −log10 alpha (1 at the threshold); tests without a p-value score 1 when drifted, else 0.</summary>
    public static double? Score(DriftFigure? figure, double alpha)
    {
        if (figure is null)
            return null;
        if ((figure.AdjustedPValue ?? figure.PValue) is { } p)
            return Math.Log10(Math.Max(p, 1e-300)) / Math.Log10(alpha);
        return figure.Drifted ? 1 : 0;
    }

    private static string Text(DriftFigure? figure) => figure switch
    {
        null => "—",
        { AdjustedPValue: { } q } => $"q={Figures.Format(q, 2)}",
        { PValue: { } p } => $"p={Figures.Format(p, 2)}",
        _ => $"{figure.Method} {Figures.Format(figure.Statistic, 3)}",
    };
}
