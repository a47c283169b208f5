using ControlPlane.Workers.Comparison.Statistics;

namespace ControlPlane.Workers.Tests.Comparison;

public sealed class McNemarTests
{
    [Fact]
    public void Agrestis_approval_ratings_give_his_difference_interval_and_the_corrected_chi_square()
    {
        // Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), Table 8.1: approval of the Prime
        // Minister in two surveys of the same 1600 people: 794 approve both times, 150 approve then disapprove, 86
        // disapprove then approve, 570 disapprove both. Read as champion = first survey, challenger = second:
        // b = 150, c = 86. Agresti: difference 0.55 − 0.59 = −0.04, SE 0.0095.
        // Reference digits from python3 + mpmath 1.3 (30 digits): χ² = 63²/236, p = erfc(√(χ²/2)),
        // one-sided Φ(−(b−c−1)/√(b+c)), SE = √(b+c−(c−b)²/n)/n, interval −0.04 ∓ 1.959963984540054·SE.
        var test = McNemar.Test(150, 86, 1600);

        Assert.Equal("McNemar (chi-square, continuity-corrected)", test.Test);
        Assert.Equal(-0.04, test.Difference, 12);
        Assert.Equal(-0.05871611675033166, test.Lower, 12);
        Assert.Equal(-0.02128388324966833, test.Upper, 12);
        Assert.Equal(4.11456228134594509e-5, test.PValue, 15);
        Assert.Equal(2.05728114067297254e-5, test.PBelow, 15);
        Assert.Equal(0.999988374485073956, test.PAbove, 12);
    }

    [Fact]
    public void Few_discordant_pairs_use_the_exact_binomial_worked_by_hand()
    {
        // b = 6, c = 1: 7 trials of a fair coin. P(X ≤ 1) = (1 + 7)/128, two-sided 16/128 = 0.125.
        // Challenger worse: P(X ≥ 6) = (7 + 1)/128 = 0.0625; better: P(X ≥ 1) = 127/128.
        // Difference (1 − 6)/20 = −0.25, SE √(7 − 25/20)/20.
        var test = McNemar.Test(6, 1, 20);

        Assert.Equal("McNemar (exact)", test.Test);
        Assert.Equal(-0.25, test.Difference, 12);
        Assert.Equal(0.125, test.PValue, 12);
        Assert.Equal(0.0625, test.PBelow, 12);
        Assert.Equal(127 / 128.0, test.PAbove, 12);
        Assert.Equal(-0.25 - 1.959963984540054 * Math.Sqrt(5.75) / 20, test.Lower, 12);
    }

    [Fact]
    public void No_discordant_pair_is_no_evidence_either_way()
    {
        var test = McNemar.Test(0, 0, 10);
        Assert.Equal((0.0, 1.0, 1.0, 1.0), (test.Difference, test.PValue, test.PBelow, test.PAbove));
    }

    [Fact]
    public void Twenty_four_discordant_pairs_are_exact_and_twenty_five_are_chi_square()
    {
        Assert.Equal("McNemar (exact)", McNemar.Test(12, 12, 100).Test);
        Assert.StartsWith("McNemar (chi-square", McNemar.Test(13, 12, 100).Test);
    }
}
