using System.Globalization;

namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>Builds the chart histograms from the sorted samples and the bins the tests already counted.</summary>
internal static class Histograms
{
    public const int EqualWidthBins = 20;

    public static DriftHistogram Deciles(IReadOnlyList<double> edges, Binned bins)
    {
        var result = new DriftHistogramBin[bins.Count];
        for (var k = 0; k < result.Length; k++)
        {
            double? lower = k == 0 ? null : edges[k - 1];
            double? upper = k == edges.Count ? null : edges[k];
            var label = $"({Format(lower, "-∞")}, {Format(upper, "∞")}{(upper is null ? ")" : "]")}";
            result[k] = new DriftHistogramBin(label, lower, upper, bins.Reference[k], bins.Current[k]);
        }
        return new DriftHistogram(DriftHistogramKind.Deciles, result);
    }

    public static DriftHistogram Values(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, Binned bins)
    {
        var result = new DriftHistogramBin[bins.Count];
        int i = 0, j = 0;
        for (var k = 0; k < result.Length; k++)
        {
            // Same walk as Binned.ByValue: the k-th distinct pooled value.
            var value = i == reference.Length ? current[j]
                : j == current.Length ? reference[i]
                : Math.Min(reference[i], current[j]);
            i += (int)bins.Reference[k];
            j += (int)bins.Current[k];
            result[k] = new DriftHistogramBin(value.ToString("R", CultureInfo.InvariantCulture), value, value, bins.Reference[k], bins.Current[k]);
        }
        return new DriftHistogram(DriftHistogramKind.Categories, result);
    }

    public static DriftHistogram Categories(IReadOnlyList<string> categories, Binned bins)
    {
        var result = new DriftHistogramBin[bins.Count];
        for (var k = 0; k < result.Length; k++)
            result[k] = new DriftHistogramBin(categories[k], null, null, bins.Reference[k], bins.Current[k]);
        return new DriftHistogram(DriftHistogramKind.Categories, result);
    }

    /// <summary>
    /// Keeps the <paramref name="keep"/> categories with the largest reference share + current share (ties in label
    /// order), in their original order, and folds the rest into one "other" bin at the end. Only what is stored and
    /// charted: the tests have already used every category.
    /// </summary>
    public static DriftHistogram TopCategories(DriftHistogram histogram, int keep)
    {
        var bins = histogram.Bins;
        // Folding a single category into "other" would hide its label and save nothing.
        if (bins.Count <= keep + 1)
            return histogram;
        var referenceTotal = bins.Sum(b => b.Reference);
        var currentTotal = bins.Sum(b => b.Current);
        double Share(long count, long total) => total == 0 ? 0 : (double)count / total;
        var kept = Enumerable.Range(0, bins.Count)
            .OrderByDescending(k => Share(bins[k].Reference, referenceTotal) + Share(bins[k].Current, currentTotal))
            .ThenBy(k => bins[k].Label, StringComparer.Ordinal)
            .Take(keep)
            .Order()
            .Select(k => bins[k])
            .ToList();
        var folded = bins.Count - keep;
        var other = new DriftHistogramBin($"other ({folded.ToString("N0", CultureInfo.InvariantCulture)} categories)", null, null,
            referenceTotal - kept.Sum(b => b.Reference), currentTotal - kept.Sum(b => b.Current), folded);
        return histogram with { Bins = [.. kept, other] };
    }

    /// <summary>np.histogram(values, bins=20, range=(pooled min, pooled max)) for each side.</summary>
    /// <remarks>Only for columns with more than five distinct reference values, so the range is never empty.</remarks>
    public static DriftHistogram EqualWidth(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        var min = Math.Min(reference[0], current[0]);
        var max = Math.Max(reference[^1], current[^1]);
        // np.linspace: k·step + start, the last edge exactly the stop.
        var edges = new double[EqualWidthBins + 1];
        var step = (max - min) / EqualWidthBins;
        for (var k = 0; k < EqualWidthBins; k++)
            edges[k] = k * step + min;
        edges[EqualWidthBins] = max;

        var result = new DriftHistogramBin[EqualWidthBins];
        for (var k = 0; k < EqualWidthBins; k++)
        {
            var last = k == EqualWidthBins - 1;
            var label = $"[{Format(edges[k], "")}, {Format(edges[k + 1], "")}{(last ? "]" : ")")}";
            result[k] = new DriftHistogramBin(label, edges[k], edges[k + 1],
                CountIn(reference, edges, k, last), CountIn(current, edges, k, last));
        }
        return new DriftHistogram(DriftHistogramKind.EqualWidth, result);
    }

    // [e_k, e_k+1), the last bin also taking e_k+1 itself.
    private static long CountIn(ReadOnlySpan<double> sorted, double[] edges, int k, bool last)
    {
        var from = SortedSearch.LowerBound(sorted, edges[k]);
        var to = last ? SortedSearch.UpperBound(sorted, edges[k + 1]) : SortedSearch.LowerBound(sorted, edges[k + 1]);
        return to - from;
    }

    private static string Format(double? value, string open) =>
        value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : open;
}
