using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>Chart bins against numpy 1.24: <c>np.histogram(x, bins=20, range=(pooled min, pooled max))</c> on each side.</summary>
public sealed class DriftHistogramTests
{
    [Fact]
    public void Equal_width_bins_span_the_pooled_range_and_count_as_numpy()
    {
        // ref = g(np.arange(1000)); cur = g(np.arange(2000, 2800)) * 0.9 + 0.05
        // lo, hi = min(ref.min(), cur.min()), max(ref.max(), cur.max())
        var column = Numerical(Range(0, 1000), Range(2000, 2800, 0.9, 0.05), DriftMethod.Psi);

        var histogram = Assert.Single(column.Histograms, h => h.Kind == DriftHistogramKind.EqualWidth);
        Assert.Equal(20, histogram.Bins.Count);
        Assert.Equal([50L, 49, 50, 51, 50, 49, 49, 51, 50, 50, 49, 51, 50, 50, 50, 50, 50, 50, 50, 51], histogram.Bins.Select(b => b.Reference));
        Assert.Equal([0L, 44, 45, 44, 44, 46, 44, 43, 45, 45, 44, 45, 44, 45, 44, 44, 45, 44, 44, 1], histogram.Bins.Select(b => b.Current));
        Assert.Equal(0.0, histogram.Bins[0].Lower);
        Assert.Equal(Range(0, 1000).Max(), histogram.Bins[^1].Upper);
        Assert.EndsWith("]", histogram.Bins[^1].Label);
        Assert.EndsWith(")", histogram.Bins[0].Label);
    }

    [Fact]
    public void A_constant_column_is_charted_by_value()
    {
        var column = Numerical(Repeat((2.0, 6)), Repeat((2.0, 5)), DriftMethod.Wasserstein);

        var values = Assert.Single(column.Histograms);
        Assert.Equal(DriftHistogramKind.Categories, values.Kind);
        Assert.Equal(("2", 6L, 5L), (values.Bins[0].Label, values.Bins[0].Reference, values.Bins[0].Current));
    }

    [Fact]
    public void Open_decile_bins_have_no_outer_bounds()
    {
        var column = Numerical(Range(0, 100), Range(0, 100), DriftMethod.Psi);

        var deciles = Assert.Single(column.Histograms, h => h.Kind == DriftHistogramKind.Deciles);
        Assert.Null(deciles.Bins[0].Lower);
        Assert.Null(deciles.Bins[^1].Upper);
        Assert.StartsWith("(-∞, ", deciles.Bins[0].Label);
        Assert.EndsWith(", ∞)", deciles.Bins[^1].Label);
        Assert.Equal(100, deciles.Bins.Sum(b => b.Reference));
    }
}
