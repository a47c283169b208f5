using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Web.Components.Shared;

namespace ControlPlane.Web.Components.Pages.Datasets;

/// <summary>
/// One bar series for a profile chart: numeric bins (centres and widths) or category labels, as shares of the
/// column's values so versions of different sizes compare directly. <see cref="Hover"/> names each bar in full
/// (bin edges, the whole category) where the axis shows it short.
/// </summary>
public sealed record ProfileSeries(string Name, IReadOnlyList<object> X, IReadOnlyList<double> Shares, IReadOnlyList<double>? Widths, IReadOnlyList<string>? Hover = null)
{
    // Category labels on the axis are cut to this; the hover has them whole.
    private const int MaxLabel = 18;

    public static ProfileSeries FromHistogram(string name, Histogram histogram, long count)
    {
        var centres = new List<object>(histogram.Counts.Count);
        var widths = new List<double>(histogram.Counts.Count);
        var hover = new List<string>(histogram.Counts.Count);
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            centres.Add((histogram.Edges[i] + histogram.Edges[i + 1]) / 2);
            widths.Add(histogram.Edges[i + 1] - histogram.Edges[i]);
            hover.Add($"{name} · [{Figures.Format(histogram.Edges[i], 8)}, {Figures.Format(histogram.Edges[i + 1], 8)}{(i == histogram.Counts.Count - 1 ? "]" : ")")}: {Figures.Count(histogram.Counts[i])} ({Percent.Of(histogram.Counts[i], count)})");
        }
        return new ProfileSeries(name, centres, histogram.Counts.Select(c => Share(c, count)).ToList(), widths, hover);
    }

    public static ProfileSeries FromCategories(string name, CategoryProfile categories, long count) =>
        new(name, Figures.Shorten(categories.Top.Select(c => c.Value).ToList(), MaxLabel).Cast<object>().ToList(), categories.Top.Select(c => Share(c.Count, count)).ToList(), null,
            categories.Top.Select(c => $"{name} · {c.Value}: {Figures.Count(c.Count)} ({Percent.Of(c.Count, count)})").ToList());

    /// <summary>
    /// Bars over labelled bins shared by several series (a drift run's reference and current): short labels on the
    /// axis (bin edges in SI form, unique), the full label and the count on hover.
    /// </summary>
    public static IReadOnlyList<ProfileSeries> Shared(IReadOnlyList<(string Label, double? Lower, double? Upper)> bins, IReadOnlyList<(string Name, IReadOnlyList<long> Counts)> series)
    {
        var labels = BinLabels(bins).Cast<object>().ToList();
        return series.Select(s =>
        {
            var total = s.Counts.Sum();
            return new ProfileSeries(s.Name, labels, s.Counts.Select(c => Share(c, total)).ToList(), null,
                s.Counts.Select((c, i) => $"{s.Name} · {bins[i].Label}: {Figures.Count(c)} ({Percent.Of(c, total)})").ToList());
        }).ToList();
    }

    /// <summary>"37.6k–41.2k", "&lt; 12", "≥ 1.5M", or the category cut short; more digits until no two bins read alike.</summary>
    public static IReadOnlyList<string> BinLabels(IReadOnlyList<(string Label, double? Lower, double? Upper)> bins)
    {
        for (var digits = 3; digits <= 6; digits++)
        {
            var labels = bins.Select(b => (b.Lower, b.Upper) switch
            {
                (null, null) => b.Label,
                ({ } l, { } u) when l == u => Figures.Compact(l, digits),
                ({ } l, { } u) => $"{Figures.Compact(l, digits)}–{Figures.Compact(u, digits)}",
                (null, { } u) => $"< {Figures.Compact(u, digits)}",
                ({ } l, null) => $"≥ {Figures.Compact(l, digits)}",
            }).ToList();
            var shortened = Figures.Shorten(labels, MaxLabel);
            if (shortened.Distinct(StringComparer.Ordinal).Count() == bins.Count)
                return shortened;
        }
        return bins.Select(b => b.Label).ToList();
    }

    private static double Share(long part, long total) => total == 0 ? 0 : (double)part / total;
}
