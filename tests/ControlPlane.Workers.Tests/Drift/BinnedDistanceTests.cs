using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// PSI and Jensen–Shannon against numpy/scipy 1.10.1 implementations of the definitions:
/// <code>
/// Q = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
/// def bins(ref, cur):
///     edges = np.unique(np.quantile(ref, Q))
///     rc = np.bincount(np.searchsorted(edges, ref, side='left'), minlength=len(edges) + 1)
///     cc = np.bincount(np.searchsorted(edges, cur, side='left'), minlength=len(edges) + 1)
///     return edges, rc, cc
/// def psi(rc, cc):
///     p = np.maximum(rc / rc.sum(), 1e-4); q = np.maximum(cc / cc.sum(), 1e-4)
///     return np.sum((q - p) * np.log(q / p))
/// js = scipy.spatial.distance.jensenshannon(rc, cc, base=2)
/// </code>
/// Categories go in ordinal order on both sides.
/// </summary>
public sealed class BinnedDistanceTests
{
    [Fact]
    public void Numerical_psi_and_js_use_the_reference_deciles()
    {
        // ref = g(np.arange(1000)); cur = g(np.arange(2000, 2800)) * 0.9 + 0.05
        var column = Numerical(Range(0, 1000), Range(2000, 2800, 0.9, 0.05), DriftMethod.Psi, DriftMethod.JensenShannon);

        Close.Relative(0.059500064801455047, column.Test(DriftMethod.Psi).Statistic, 1e-14);
        Close.Relative(0.1029858769692592, column.Test(DriftMethod.JensenShannon).Statistic, 1e-14);
        Assert.False(column.Test(DriftMethod.Psi).Drifted);
        Assert.True(column.Test(DriftMethod.JensenShannon).Drifted);
        Assert.Equal(PsiBand.None, PsiBands.Of(column.Test(DriftMethod.Psi).Statistic));
        var deciles = Assert.Single(column.Histograms, h => h.Kind == DriftHistogramKind.Deciles);
        Assert.Equal([100L, 100, 100, 100, 100, 100, 100, 100, 100, 100], deciles.Bins.Select(b => b.Reference));
        Assert.Equal([45L, 88, 90, 88, 90, 89, 89, 88, 88, 45], deciles.Bins.Select(b => b.Current));
        Assert.Equal(0.10082941940641552, deciles.Bins[0].Upper);
        Assert.Equal(0.9000599580293794, deciles.Bins[^1].Lower);
    }

    [Fact]
    public void Duplicate_decile_edges_merge_into_fewer_bins()
    {
        // i = np.arange(1000); ref = np.where(i % 2 == 0, 0.0, g(i))
        // i = np.arange(900); cur = np.where(i % 3 == 0, 0.0, g(i + 5000))
        // edges [0.0, 0.000449685220345758, 0.19976016788248221, 0.4014889577295892, 0.5993604476866194, 0.8011292095533127]
        var reference = Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? 0.0 : G(i)).ToArray();
        var current = Enumerable.Range(0, 900).Select(i => i % 3 == 0 ? 0.0 : G(i + 5000)).ToArray();

        var column = Numerical(reference, current, DriftMethod.Psi, DriftMethod.JensenShannon);

        Close.Relative(0.11754840498857393, column.Test(DriftMethod.Psi).Statistic, 1e-14);
        Close.Relative(0.1456102267706681, column.Test(DriftMethod.JensenShannon).Statistic, 1e-14);
        var deciles = Assert.Single(column.Histograms, h => h.Kind == DriftHistogramKind.Deciles);
        Assert.Equal([0.0, 0.000449685220345758, 0.19976016788248221, 0.4014889577295892, 0.5993604476866194, 0.8011292095533127],
            deciles.Bins.Skip(1).Select(b => b.Lower!.Value));
        Assert.Equal([500L, 0, 100, 100, 100, 100, 100], deciles.Bins.Select(b => b.Reference));
        Assert.Equal([300L, 1, 121, 120, 118, 123, 117], deciles.Bins.Select(b => b.Current));
        Assert.Equal(PsiBand.Moderate, PsiBands.Of(column.Test(DriftMethod.Psi).Statistic));
    }

    [Fact]
    public void Categories_seen_on_one_side_only_get_the_share_floor_in_psi_and_none_in_js()
    {
        // rc = [40, 30, 20, 10, 0], cc = [30, 30, 25, 0, 15] over a, b, c, d, e
        var column = Categorical(
            Repeat(("a", 40), ("b", 30), ("c", 20), ("d", 10)),
            Repeat(("a", 30), ("b", 30), ("c", 25), ("e", 15)),
            DriftMethod.Psi, DriftMethod.JensenShannon);

        Close.Relative(1.8262618732060405, column.Test(DriftMethod.Psi).Statistic, 1e-14);
        Close.Relative(0.36356297793423914, column.Test(DriftMethod.JensenShannon).Statistic, 1e-14);
        Assert.Equal(PsiBand.Significant, PsiBands.Of(column.Test(DriftMethod.Psi).Statistic));
        var histogram = Assert.Single(column.Histograms);
        Assert.Equal(["a", "b", "c", "d", "e"], histogram.Bins.Select(b => b.Label));
        Assert.Equal([40L, 30, 20, 10, 0], histogram.Bins.Select(b => b.Reference));
        Assert.Equal([30L, 30, 25, 0, 15], histogram.Bins.Select(b => b.Current));
    }

    [Fact]
    public void A_numerical_column_with_few_distinct_values_is_binned_by_value()
    {
        // rc = [10, 20, 30, 40, 0], cc = [25, 25, 25, 20, 5] over the values 1..5
        var column = Numerical(
            Repeat((1.0, 10), (2.0, 20), (3.0, 30), (4.0, 40)),
            Repeat((1.0, 25), (2.0, 25), (3.0, 25), (4.0, 20), (5.0, 5)),
            DriftMethod.JensenShannon, DriftMethod.Psi);

        Close.Relative(0.2776953882669456, column.Test(DriftMethod.JensenShannon).Statistic, 1e-14);
        Close.Relative(0.6064552454097878, column.Test(DriftMethod.Psi).Statistic, 1e-14);
        var histogram = Assert.Single(column.Histograms);
        Assert.Equal(DriftHistogramKind.Categories, histogram.Kind);
        Assert.Equal(["1", "2", "3", "4", "5"], histogram.Bins.Select(b => b.Label));
    }

    [Theory]
    [InlineData(0.0999, PsiBand.None)]
    [InlineData(0.1, PsiBand.Moderate)]
    [InlineData(0.2499, PsiBand.Moderate)]
    [InlineData(0.25, PsiBand.Significant)]
    public void Psi_bands(double psi, PsiBand band) => Assert.Equal(band, PsiBands.Of(psi));
}
