using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// Two-sample KS through the engine against scipy 1.10.1: <c>r = scipy.stats.ks_2samp(a, b)</c> (method='auto'),
/// printed with repr(r.statistic), repr(r.pvalue).
/// </summary>
public sealed class KolmogorovSmirnovTests
{
    [Fact]
    public void Disjoint_samples_of_three_have_D_1_and_the_hand_computed_exact_p_of_2_over_C_6_3()
    {
        // Only the two orderings xxxyyy and yyyxxx reach D = 1: p = 2/20. scipy: 0.09999999999999999.
        var ks = Numerical([1, 2, 3], [4, 5, 6], DriftMethod.KolmogorovSmirnov).Test(DriftMethod.KolmogorovSmirnov);

        Assert.Equal(1.0, ks.Statistic);
        Close.Relative(0.1, ks.PValue, 1e-15);
        Close.Relative(0.09999999999999999, ks.PValue, 1e-15);
    }

    public static TheoryData<string, double[], double[], double, double> ExactCases => new()
    {
        // a = [0.1,0.2,0.2,0.3,0.5,0.5,0.7,0.9,1.1,1.3]; b = [0.2,0.4,0.5,0.5,0.6,0.8,0.8,1.0,1.2,1.4,1.5,1.6,1.7,1.9,2.0]
        { "ties, n1 != n2", [0.1, 0.2, 0.2, 0.3, 0.5, 0.5, 0.7, 0.9, 1.1, 1.3], [0.2, 0.4, 0.5, 0.5, 0.6, 0.8, 0.8, 1.0, 1.2, 1.4, 1.5, 1.6, 1.7, 1.9, 2.0], 0.4, 0.2521145633206476 },
        // g(np.arange(40)), g(np.arange(100, 155)) + 0.1
        { "40 vs 55", Range(0, 40), Range(100, 155, shift: 0.1), 0.14545454545454545, 0.6511021051936617 },
        // [5.0]*30, [5.0]*20 + [6.0]*10
        { "one value repeated", Repeat((5.0, 30)), Repeat((5.0, 20), (6.0, 10)), 0.3333333333333333, 0.07088798787114439 },
        // g(np.arange(50)), g(np.arange(50, 100)) + 0.05: n1 == n2 takes the closed form
        { "equal sizes", Range(0, 50), Range(50, 100, shift: 0.05), 0.06, 0.9999952562961608 },
        // g(np.arange(60)), g(np.arange(200, 290)) + 0.02: gcd 30
        { "gcd 30", Range(0, 60), Range(200, 290, shift: 0.02), 0.027777777777777776, 0.9999999999999998 },
        // g(np.arange(1000)), g(np.arange(3000, 3800)) + 0.03
        { "1000 vs 800", Range(0, 1000), Range(3000, 3800, shift: 0.03), 0.03225, 0.7320406480147387 },
        // g(np.arange(10000)), g(np.arange(9000)) * 1.01: the largest sizes still exact
        { "10000 vs 9000", Range(0, 10000), Range(0, 9000, scale: 1.01), 0.010155555555555555, 0.708229648436283 },
    };

    [Theory]
    [MemberData(nameof(ExactCases))]
    public void Exact_regime_matches_scipy(string name, double[] a, double[] b, double d, double p)
    {
        var ks = Numerical(a, b, DriftMethod.KolmogorovSmirnov).Test(DriftMethod.KolmogorovSmirnov);

        Assert.True(d == ks.Statistic, $"{name}: D {ks.Statistic:R}");
        Close.Relative(p, ks.PValue, 1e-12);
    }

    public static TheoryData<string, double[], double[], double, double> AsymptoticCases => new()
    {
        // g(np.arange(12000)), g(np.arange(20000, 31000)) + 0.01
        { "12000 vs 11000", Range(0, 12000), Range(20000, 31000, shift: 0.01), 0.010287878787878735, 0.5744164398559999 },
        // g(np.arange(20000)), g(np.arange(5000, 20000)): Durbin matrix, p rounds to 1
        { "20000 vs 15000", Range(0, 20000), Range(5000, 20000), 0.00028333333333341315, 1.0 },
        // g(np.arange(10001)), g(np.arange(30)) + 0.2: kstwo at n = 30
        { "10001 vs 30", Range(0, 10001), Range(0, 30, shift: 0.2), 0.250368296503683, 0.03827938797297259 },
        // g(np.arange(30000)), g(np.arange(30000)) + 0.003: Pelz-Good
        { "30000 vs 30000", Range(0, 30000), Range(0, 30000, shift: 0.003), 0.0031000000000001027, 0.9986586949507826 },
    };

    [Theory]
    [MemberData(nameof(AsymptoticCases))]
    public void Asymptotic_regime_matches_scipy(string name, double[] a, double[] b, double d, double p)
    {
        var ks = Numerical(a, b, DriftMethod.KolmogorovSmirnov).Test(DriftMethod.KolmogorovSmirnov);

        Assert.True(d == ks.Statistic, $"{name}: D {ks.Statistic:R}");
        Close.Relative(p, ks.PValue, 1e-12);
    }

    [Fact]
    public void Identical_samples_have_D_0_and_p_1_in_both_regimes()
    {
        foreach (var n in new[] { 50, 12000 })
        {
            var sample = Range(0, n);
            var ks = Numerical(sample, (double[])sample.Clone(), DriftMethod.KolmogorovSmirnov).Test(DriftMethod.KolmogorovSmirnov);

            Assert.Equal((0.0, 1.0), (ks.Statistic, ks.PValue!.Value));
            Assert.False(ks.Drifted);
        }
    }

    [Fact]
    public void Drift_is_a_p_value_below_the_threshold()
    {
        // ks_2samp(g(np.arange(1000)), g(np.arange(1000)) + 0.1): D = 0.103, p = 4.872295384883887e-05
        var ks = Numerical(Range(0, 1000), Range(0, 1000, shift: 0.1), DriftMethod.KolmogorovSmirnov).Test(DriftMethod.KolmogorovSmirnov);

        Close.Relative(4.872295384883887e-05, ks.PValue, 1e-12);
        Assert.True(ks.Drifted);
        Assert.Equal(0.05, ks.Threshold);
    }
}
