using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

public sealed class SortedSampleTests
{
    [Fact]
    public void Radix_sorted_values_equal_a_comparison_sort_across_signs_zeros_and_magnitudes()
    {
        // Large enough for the radix path; negatives, signed zeros, subnormals and extremes.
        var values = Range(0, 100_000).Select((x, i) => (i % 7) switch
        {
            0 => -x * 1e300,
            1 => x * 1e-310,
            2 => -0.0,
            3 => 0.0,
            4 => -x,
            _ => x * 1e10,
        }).ToArray();
        var expected = (double[])values.Clone();
        Array.Sort(expected);

        var sample = SortedSample.From(values);

        Assert.Equal(expected.Length, sample.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == sample.Values.Span[i], $"At {i}: {expected[i]:R} vs {sample.Values.Span[i]:R}");
    }

    [Fact]
    public void Missing_values_are_counted_and_left_out()
    {
        double[] values = [.. Range(0, 50_000), double.NaN, double.PositiveInfinity, double.NegativeInfinity];

        var sample = SortedSample.From(values);

        Assert.Equal((50_000, 3, 50_003), (sample.Count, sample.MissingCount, sample.TotalCount));
        Assert.Equal(3.0 / 50_003, sample.MissingShare);
        Assert.True(double.IsFinite(sample.Values.Span[^1]));
    }

    [Fact]
    public void Mean_and_population_std_sum_in_numpys_order()
    {
        // a = np.sort(g(np.arange(100000))): np.std(a) = 0.288677817490858, np.mean(a) = np.sum(a) / 100000
        var sample = SortedSample.From(Range(0, 100_000));

        Assert.Equal(0.288677817490858, sample.StandardDeviation);
        Assert.Equal(NumpySum.Sum(sample.Values.Span) / 100_000, sample.Mean);
    }

    [Fact]
    public void Pairwise_sum_matches_np_sum_to_the_bit()
    {
        // np.sum(g(np.arange(100000))) = 49995.494953532536; np.sum(a * a - 0.3) = 3328.9833876154803
        var values = Range(0, 100_000);

        Assert.Equal(49995.494953532536, NumpySum.Sum(values));
        Assert.Equal(3328.9833876154803, NumpySum.Sum(values.Select(x => x * x - 0.3).ToArray()));
    }

    [Fact]
    public void Distinct_values_are_counted_up_to_one_past_the_categorical_limit()
    {
        Assert.Equal(3, SortedSample.From(Repeat((1.0, 10), (2.0, 1), (3.0, 40))).DistinctCount);
        Assert.Equal(6, SortedSample.From(Range(0, 1000)).DistinctCount);
        Assert.Equal(0, SortedSample.From([double.NaN]).DistinctCount);
    }
}
