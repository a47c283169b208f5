using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// The ported distributions against scipy 1.10.1, one point per branch of each algorithm:
/// <c>scipy.stats.kstwo.sf(x, n)</c>, <c>scipy.special.smirnov(n, x)</c> and the exact two-sample helpers
/// <c>scipy.stats._stats_py._compute_prob_outside_square(n, h)</c>,
/// <c>scipy.stats._stats_pythran._compute_outer_prob_inside_method(m, n, g, h)</c>.
/// </summary>
public sealed class KolmogorovDistributionTests
{
    [Theory]
    [InlineData(5, 0.19, 0.977325184)]                       // Ruben–Gambino, n·x <= 1
    [InlineData(1000, 0.0008, 1.0)]                          // Ruben–Gambino with Stirling's n!/n^n
    [InlineData(3, 0.7, 0.05400000000000003)]                // Ruben–Gambino, n·x >= n − 1
    [InlineData(10, 0.07, 0.9999999619492741)]               // Durbin matrix, n <= 140
    [InlineData(10, 0.15, 0.95396527)]
    [InlineData(10, 0.3, 0.27053557479999946)]               // Pomeranz
    [InlineData(50, 0.1, 0.6623112704658186)]
    [InlineData(50, 0.2, 0.03143877776953241)]
    [InlineData(100, 0.4, 5.947617451361663e-15)]            // 2·smirnov, n <= 140
    [InlineData(140, 0.6, 1.0052268370224967e-48)]           // 2·smirnov, x >= 0.5
    [InlineData(141, 0.95, 7.174657754560657e-184)]
    [InlineData(1000, 0.012, 0.9984464668620097)]            // Durbin matrix, n > 140
    [InlineData(1000, 0.02, 0.8108971656895577)]             // Pelz–Good
    [InlineData(1000, 0.03, 0.3226902143914636)]
    [InlineData(200000, 0.002, 0.39995085369038097)]
    [InlineData(200000, 0.003, 0.0545369786611305)]          // 2·smirnov, n·x² >= 2.2
    [InlineData(1000, 0.06, 0.001428597887952891)]
    [InlineData(200000, 0.02, 6.339001082043132e-70)]
    [InlineData(200000, 0.05, 0.0)]                          // n·x² >= 370
    [InlineData(500, 0.999, 0.0)]
    public void Kstwo_survival_function_matches_scipy(int n, double x, double expected)
    {
        var actual = KolmogorovDistribution.Sf(n, x);

        if (expected == 0)
            Assert.Equal(0.0, actual);
        else
            Close.Relative(expected, actual, 1e-12);
    }

    [Theory]
    [InlineData(1, 0.3, 0.7)]
    [InlineData(5, 0.1, 0.85359)]
    [InlineData(10, 0.05, 0.9224335892010742)]
    [InlineData(100, 0.05, 0.5871453380805337)]
    [InlineData(1000, 0.01, 0.8133237754763678)]
    [InlineData(5000, 0.03, 0.00012079617211333408)]
    [InlineData(20, 0.96, 1.0995116277760194e-28)]            // x >= 1 − 1/n
    [InlineData(2000000, 0.001, 0.018303432023617325)]       // n > 10^6: the exponential approximation
    public void Smirnov_survival_function_matches_scipy(int n, double x, double expected) =>
        Close.Relative(expected, Smirnov.Sf(n, x), 1e-14);

    [Theory]
    [InlineData(10, 3, 0.7869297884777761)]
    [InlineData(1000, 143, 2.478045227082155e-09)]
    [InlineData(1000, 40, 0.4006338815832625)]
    public void Equal_sizes_closed_form_matches_scipy(int n, long h, double expected) =>
        Close.Relative(expected, KolmogorovSmirnovExact.ProbabilityOutsideSquare(n, h), 1e-14);

    [Theory]
    [InlineData(3, 5, 1, 8, 0.4642857142857143)]
    [InlineData(100, 60, 20, 30, 0.8153944043074798)]
    [InlineData(500, 1500, 500, 150, 0.0010605524074868357)]
    [InlineData(10000, 30, 10, 9000, 0.006969029008575475)]
    public void Unequal_sizes_path_count_matches_scipy(int m, int n, int g, long h, double expected) =>
        Close.Relative(expected, KolmogorovSmirnovExact.OuterProbabilityInside(m, n, g, h), 1e-14);
}
