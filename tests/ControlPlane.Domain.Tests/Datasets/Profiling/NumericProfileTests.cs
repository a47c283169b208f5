using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>
/// Moments, quantiles and histograms against numpy 1.24.2 (reference values pasted from /usr/bin/python3, shown above
/// each test) and against small cases worked by hand.
/// </summary>
public sealed class NumericProfileTests
{
    private static readonly double[] Probabilities = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    // i = np.arange(10001); x = ((i * 7919) % 10007) / 13.0 - 300; x[i % 97 == 0] = np.nan; v = x[~np.isnan(x)]
    // v.size, v.min(), v.max(), v.mean(), v.std(ddof=1), np.percentile(v, [1, 5, 25, 50, 75, 95, 99]), np.histogram(v, bins=20)
    [Fact]
    public async Task Moments_quantiles_and_histogram_match_numpy()
    {
        var column = await ProfileTestData.ProfileOneAsync(ProfileTestData.Formula(), ColumnType.Numerical, maxRowsPerRead: 1000);

        Assert.Equal(9897, column.Count);
        Assert.Equal(104, column.MissingCount);
        Assert.Equal(0, column.InvalidCount);
        var numeric = column.Numeric!;
        Assert.Equal(-299.9230769230769, numeric.Min);
        Assert.Equal(469.69230769230774, numeric.Max);
        // A compensated sum and numpy's pairwise sum may round differently, by a few ulps at most.
        Assert.Equal(85.00269700997194, numeric.Mean, 1e-12);
        Assert.Equal(222.2215267527522, numeric.Std!.Value, 1e-12);
        Assert.Null(numeric.SampleSize);
        // Same order statistics and numpy's own lerp: equal to the bit.
        Assert.Equal(Probabilities, numeric.Quantiles.Select(q => q.Probability));
        Assert.Equal(
            [-292.2338461538462, -261.32307692307694, -107.53846153846155, 85.0, 277.38461538461536, 431.3230769230768, 462.0799999999999],
            numeric.Quantiles.Select(q => q.Value));
        Assert.Equal(
            [494L, 494, 496, 496, 495, 492, 495, 496, 495, 494, 494, 496, 493, 496, 495, 496, 492, 496, 495, 497],
            numeric.Histogram.Counts);
        Assert.Equal(
            [-299.9230769230769, -261.4423076923077, -222.96153846153845, -184.4807692307692, -145.99999999999997,
             -107.51923076923075, -69.03846153846149, -30.557692307692264, 7.923076923076962, 46.40384615384619,
             84.88461538461542, 123.36538461538464, 161.84615384615392, 200.32692307692315, 238.80769230769238,
             277.28846153846155, 315.76923076923083, 354.2500000000001, 392.7307692307693, 431.21153846153857, 469.69230769230774],
            numeric.Histogram.Edges);
    }

    // v = (np.arange(1000) * 31) % 101; np.percentile(v, [1, 5, 25, 50, 75, 95, 99]); np.histogram(v, bins=20)[0]
    [Fact]
    public async Task Tied_values_interpolate_and_bin_as_numpy()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(ProfileTestData.Ties(), ColumnType.Numerical)).Numeric!;

        Assert.Equal([0.9900000000000002, 4.950000000000003, 25.0, 50.0, 75.0, 95.04999999999995, 99.00999999999999], numeric.Quantiles.Select(q => q.Value));
        Assert.Equal([50L, 49, 50, 49, 49, 50, 50, 49, 50, 49, 50, 49, 50, 50, 49, 49, 50, 49, 49, 60], numeric.Histogram.Counts);
        Assert.Equal(49.983, numeric.Mean, 1e-12);
        Assert.Equal(29.175056039276, numeric.Std!.Value, 1e-12);
    }

    // Exact rational arithmetic on the stored doubles (Python fractions.Fraction): mean 1000000049.9995, std 28.867657796687777.
    // The sum-of-squares formula gives a std of 31.7276…, 10 % off; a per-value Welford update a mean 0.0023 low.
    // numpy gives 28.867657796687777 too.
    [Fact]
    public async Task Moments_stay_accurate_far_from_zero()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(ProfileTestData.FarFromZero(), ColumnType.Numerical)).Numeric!;

        Assert.Equal(1000000049.9995, numeric.Mean, 2.4e-7); // two ulps at 1e9
        Assert.Equal(28.867657796687777, numeric.Std!.Value, 28.867657796687777 * 1e-12);
        Assert.Equal(1e9, numeric.Min);
        Assert.Equal(1000000099.999, numeric.Max);
        // np.percentile(1e9 + np.arange(100000) * 1e-3, 50) == 1000000049.9995
        Assert.Equal(1000000049.9995, numeric.Quantiles[3].Value);
        Assert.All(numeric.Histogram.Counts, c => Assert.Equal(5000, c));
    }

    // xs = [1e9 + ((i * 7919) % 10007) * 1e-6 for i in range(50000)], mean and std in Fraction arithmetic as above.
    // In Python floats a per-value Welford update is 1.4e-8 off (relative) on this std; the sum-of-squares formula
    // gives a variance of 266930.8 instead of 8.3e-6.
    [Fact]
    public async Task Small_noise_on_a_large_offset_keeps_its_spread()
    {
        var values = Enumerable.Range(0, 50_000).Select(i => 1e9 + (i * 7919 % 10007) * 1e-6).ToArray();

        var numeric = (await ProfileTestData.ProfileOneAsync(values, ColumnType.Numerical)).Numeric!;

        Assert.Equal(1000000000.0050032, numeric.Mean, 2.4e-7);
        Assert.Equal(0.002888816985774648, numeric.Std!.Value, 0.002888816985774648 * 1e-12);
    }

    [Fact]
    public async Task Quantiles_of_one_to_four_by_hand()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(new double[] { 4, 2, 1, 3 }, ColumnType.Numerical)).Numeric!;

        // h = 3p: p = 0.25 → 1 + 0.75·(2 − 1); p = 0.5 → 2.5; p = 0.75 → 3.25; p = 0.01 → 1.03; p = 0.99 → 3.97.
        Assert.Equal(1.75, numeric.Quantiles[2].Value, 1e-15);
        Assert.Equal(2.5, numeric.Quantiles[3].Value, 1e-15);
        Assert.Equal(3.25, numeric.Quantiles[4].Value, 1e-15);
        Assert.Equal(1.03, numeric.Quantiles[0].Value, 1e-15);
        Assert.Equal(3.97, numeric.Quantiles[6].Value, 1e-15);
        Assert.Equal(2.5, numeric.Mean);
    }

    [Fact]
    public async Task Sample_standard_deviation_by_hand()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(new double[] { 2, 4, 4, 4, 5, 5, 7, 9 }, ColumnType.Numerical)).Numeric!;

        // Squared deviations from 5 sum to 32; √(32 / 7) = 2.138089935299395.
        Assert.Equal(5.0, numeric.Mean, 1e-15);
        Assert.Equal(2.138089935299395, numeric.Std!.Value, 1e-15);
    }

    // np.histogram(np.arange(11.0), bins=20)[0]: values on inner edges go up a bin, the maximum stays in the last one.
    [Fact]
    public async Task The_maximum_falls_in_the_last_bin()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(Enumerable.Range(0, 11).Select(i => (double)i).ToArray(), ColumnType.Numerical)).Numeric!;

        Assert.Equal([1L, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1], numeric.Histogram.Counts);
        Assert.Equal(Enumerable.Range(0, 21).Select(k => k * 0.5), numeric.Histogram.Edges);
    }

    // np.histogram([5.0, 5.0, 5.0], bins=20): range becomes [4.5, 5.5], all three in bin 10.
    [Fact]
    public async Task Equal_values_get_numpys_unit_range()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(new double[] { 5, 5, 5 }, ColumnType.Numerical)).Numeric!;

        Assert.Equal(4.5, numeric.Histogram.Edges[0]);
        Assert.Equal(5.5, numeric.Histogram.Edges[^1]);
        Assert.Equal(5.05, numeric.Histogram.Edges[11]);
        Assert.Equal(3, numeric.Histogram.Counts[10]);
        Assert.Equal(3, numeric.Histogram.Counts.Sum());
        Assert.Equal(0.0, numeric.Std);
        Assert.All(numeric.Quantiles, q => Assert.Equal(5.0, q.Value));
    }

    [Fact]
    public async Task One_value_has_no_standard_deviation()
    {
        var numeric = (await ProfileTestData.ProfileOneAsync(new[] { double.NaN, 7.5, double.NaN }, ColumnType.Numerical)).Numeric!;

        Assert.Null(numeric.Std);
        Assert.Equal(7.5, numeric.Mean);
        Assert.All(numeric.Quantiles, q => Assert.Equal(7.5, q.Value));
    }

    [Fact]
    public async Task A_column_without_values_has_no_numeric_summary()
    {
        var column = await ProfileTestData.ProfileOneAsync(new string?[] { null, "n/a", "" }, ColumnType.Numerical);

        Assert.Null(column.Numeric);
        Assert.Equal(0, column.Count);
        Assert.Equal(3, column.MissingCount);
        Assert.Equal(1, column.InvalidCount);
    }

    [Fact]
    public async Task Missing_and_invalid_cells_are_counted_across_batches()
    {
        // Empty and absent cells are missing; text, NaN and overflow are invalid too.
        string?[] cells = ["1.5", null, "", "abc", "NaN", "2.5", "1e400", "-Infinity", "4"];

        var column = await ProfileTestData.ProfileOneAsync(cells, ColumnType.Numerical, maxRowsPerRead: 2);

        Assert.Equal(3, column.Count);
        Assert.Equal(6, column.MissingCount);
        Assert.Equal(4, column.InvalidCount);
        Assert.Equal(1.5, column.Numeric!.Min);
        Assert.Equal(4, column.Numeric.Max);
        Assert.Equal(8.0 / 3, column.Numeric.Mean, 1e-15);
    }
}
