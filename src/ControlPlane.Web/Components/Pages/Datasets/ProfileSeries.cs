using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Web.Components.Pages.Datasets;

/// <summary>
/// One bar series for a profile chart: numeric bins (centres and widths) or category labels, as shares of the
/// column's values so versions of different sizes compare directly.
/// </summary>
public sealed record ProfileSeries(string Name, IReadOnlyList<object> X, IReadOnlyList<double> Shares, IReadOnlyList<double>? Widths)
{
    public static ProfileSeries FromHistogram(string name, Histogram histogram, long count)
    {
        var centres = new List<object>(histogram.Counts.Count);
        var widths = new List<double>(histogram.Counts.Count);
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            centres.Add((histogram.Edges[i] + histogram.Edges[i + 1]) / 2);
            widths.Add(histogram.Edges[i + 1] - histogram.Edges[i]);
        }
        return new ProfileSeries(name, centres, histogram.Counts.Select(c => Share(c, count)).ToList(), widths);
    }

    public static ProfileSeries FromCategories(string name, CategoryProfile categories, long count) =>
        new(name, categories.Top.Select(c => (object)c.Value).ToList(), categories.Top.Select(c => Share(c.Count, count)).ToList(), null);

    private static double Share(long part, long total) => total == 0 ? 0 : (double)part / total;
}
