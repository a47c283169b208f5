using ControlPlane.Workers.Comparison.Statistics;

namespace ControlPlane.Workers.Tests.Comparison;

public sealed class TTestsTests
{
    // Student's sleep data (Cushny & Peebles 1905; R's `sleep` dataset): extra hours of sleep under two drugs, same 10 patients.
    private static readonly double[] Drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    private static readonly double[] Drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    [Fact]
    public void Paired_t_on_the_sleep_data_matches_rs_published_output()
    {
        // R, example(t.test): paired, drug 1 − drug 2: t = −4.0621, df = 9, p-value = 0.002833,
        // 95 % CI −2.4598858 −0.7001142. More digits from python3 + mpmath 1.3 (t CDF by the incomplete beta).
        var test = TTests.Paired(Drug2, Drug1); // challenger − champion = drug 1 − drug 2

        Assert.Equal(-1.58, test.Difference, 12);
        Assert.Equal(0.00283289019738427274, test.PValue, 12);
        Assert.Equal(0.00141644509869213637, test.PBelow, 12);
        Assert.Equal(-2.45988576327698280, test.Lower, 9);
        Assert.Equal(-0.700114236723017201, test.Upper, 9);
    }

    [Fact]
    public void Welch_t_on_the_sleep_data_matches_rs_published_output()
    {
        // R, t.test(extra ~ group, data = sleep): t = −1.8608, df = 17.776, p-value = 0.07939,
        // 95 % CI −3.3654832 0.2054832; more digits from the same mpmath script.
        var test = TTests.Welch(Drug2, Drug1);

        Assert.Equal(-1.58, test.Difference, 12);
        Assert.Equal(0.0793941401873581383, test.PValue, 10);
        Assert.Equal(-3.36548323071171097, test.Lower, 8);
        Assert.Equal(0.205483230711710971, test.Upper, 8);
    }
}
