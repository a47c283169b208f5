using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// Wasserstein-1 against scipy 1.10.1 (<c>scipy.stats.wasserstein_distance(a, b)</c>) and its normalization by
/// <c>max(np.std(a), 0.001)</c>. The sum runs in np.sum's order, so the distance matches to the bit.
/// </summary>
public sealed class WassersteinTests
{
    public static TheoryData<double[], double[], double, double> Cases => new()
    {
        // The scipy docs' example: a shift by 5.
        { [0, 1, 3], [5, 6, 8], 5.0, 1.247219128924647 },
        { [3.4, 3.9, 7.5, 7.8], [4.5, 1.4], 2.7, 2.01059692628831 },
        // np.floor(g(np.arange(300)) * 20) / 20, np.floor(g(np.arange(500, 740)) * 20) / 20 + 0.05: ties on both sides
        { Floored(Range(0, 300)), Floored(Range(500, 740)).Select(x => x + 0.05).ToArray(), 0.04770833333333335, 0.289207489913768 },
        // g(np.arange(2000)), g(np.arange(1000)) ** 2
        { Range(0, 2000), Range(0, 1000).Select(x => x * x).ToArray(), 0.1666201445637399, 0.28881380863792194 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Distance_and_normalized_distance_match_scipy(double[] a, double[] b, double distance, double referenceStd)
    {
        var w = Numerical(a, b, DriftMethod.Wasserstein).Test(DriftMethod.Wasserstein);

        Close.Relative(distance, w.Statistic, 1e-15);
        Close.Relative(distance / referenceStd, w.Normalized, 1e-14);
        Assert.Equal(w.Normalized >= 0.1, w.Drifted);
    }

    [Fact]
    public void A_constant_reference_is_normalized_by_the_floor_not_by_zero()
    {
        var w = Numerical(Repeat((2.0, 40)), Repeat((2.0, 30), (2.5, 10)), DriftMethod.Wasserstein).Test(DriftMethod.Wasserstein);

        // wasserstein_distance([2.0]*40, [2.0]*30 + [2.5]*10) = 0.125; np.std of the reference is 0.
        Assert.Equal(0.125, w.Statistic);
        Assert.Equal(0.125 / 0.001, w.Normalized);
        Assert.True(w.Drifted);
    }

    private static double[] Floored(double[] values) => values.Select(x => Math.Floor(x * 20) / 20).ToArray();
}
