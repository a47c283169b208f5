using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>Columns that outgrow the held-values budget: quantiles from a reservoir sample, everything else exact.</summary>
public sealed class SampledQuantileTests
{
    private static readonly ProfileOptions Tight = new() { MaxHeldValues = 1000, SampleSize = 5000, BatchSize = 4096 };

    // j = np.arange(100000); v = ((j * 7919) % 100003) / 7.0
    // v.min(), v.max(), v.mean(), v.std(ddof=1), np.histogram(v, bins=20)
    [Fact]
    public async Task A_sampled_column_keeps_exact_moments_and_histogram()
    {
        var values = ProfileTestData.Large();
        var opened = new List<InMemoryTabularReader>();
        using var reader = new InMemoryTabularReader(("x", values));

        var profile = await DatasetProfiler.ProfileAsync(reader, Reopen(opened, values), [new ProfileColumn(0, "x", ColumnType.Numerical)], Tight, null, CancellationToken.None);

        var numeric = profile.Columns[0].Numeric!;
        Assert.Equal(5000, numeric.SampleSize);
        Assert.Equal(100_000, profile.Columns[0].Count);
        Assert.Equal(0.0, numeric.Min);
        Assert.Equal(14286.0, numeric.Max);
        Assert.Equal(7142.853582857141, numeric.Mean, 1e-9);
        Assert.Equal(4124.046949087074, numeric.Std!.Value, 1e-9);
        Assert.Equal(
            [5001L, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5001, 5000, 5000, 5000, 5000, 4999, 4999, 5000, 4999, 5001],
            numeric.Histogram.Counts);
        Assert.Equal(7143.0, numeric.Histogram.Edges[10]);
        var second = Assert.Single(opened);
        Assert.True(second.Disposed);
        Assert.False(reader.Disposed);
    }

    [Fact]
    public async Task Sampled_quantiles_are_close_to_the_true_ones()
    {
        var values = ProfileTestData.Large();
        using var reader = new InMemoryTabularReader(("x", values));

        var profile = await DatasetProfiler.ProfileAsync(reader, Reopen([], values), [new ProfileColumn(0, "x", ColumnType.Numerical)], Tight, null, CancellationToken.None);

        // Dvoretzky–Kiefer–Wolfowitz: a uniform sample of m values has an empirical CDF within ε of the true one, at every
        // point at once, with probability ≥ 1 − 2·exp(−2mε²). With m = 5000 and ε = 0.04 that is 1 − 2e-7, so each
        // sampled quantile must sit between the true (p − ε)- and (p + ε)-quantiles. The seed is fixed: no flakiness.
        var sorted = values.Order().ToArray();
        const double epsilon = 0.04;
        foreach (var q in profile.Columns[0].Numeric!.Quantiles)
        {
            var atOrBelow = (double)sorted.Count(v => v <= q.Value) / sorted.Length;
            var below = (double)sorted.Count(v => v < q.Value) / sorted.Length;
            Assert.InRange(q.Probability, below - epsilon, atOrBelow + epsilon);
        }
    }

    [Fact]
    public async Task Sampling_is_reproducible()
    {
        var values = ProfileTestData.Large();

        async Task<string> ProfileJson()
        {
            using var reader = new InMemoryTabularReader(("x", values));
            return DatasetProfileJson.ToJson(await DatasetProfiler.ProfileAsync(reader, Reopen([], values), [new ProfileColumn(0, "x", ColumnType.Numerical)], Tight, null, CancellationToken.None));
        }

        Assert.Equal(await ProfileJson(), await ProfileJson());
    }

    [Fact]
    public async Task The_budget_is_shared_and_the_column_that_overflows_it_is_sampled()
    {
        var a = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var b = Enumerable.Range(0, 10_000).Select(i => (double)(i * 7 % 10_000)).ToArray();
        using var reader = new InMemoryTabularReader(("a", a), ("b", b));
        var options = new ProfileOptions { MaxHeldValues = 15_000, SampleSize = 2000, BatchSize = 1000 };

        var profile = await DatasetProfiler.ProfileAsync(reader, _ => Task.FromResult<ITabularReader>(new InMemoryTabularReader(("a", a), ("b", b))),
            [new ProfileColumn(0, "a", ColumnType.Numerical), new ProfileColumn(1, "b", ColumnType.Numerical)], options, null, CancellationToken.None);

        // Batches go a, b, a, b…: after seven each 14,000 are held, a's eighth fits, b's does not; b then gives its
        // 7,000 back and a holds all 10,000. np.percentile(np.arange(10000), 1) = 99.99000000000001;
        // np.histogram((np.arange(10000) * 7) % 10000, bins=20)[0] is 500 in every bin.
        Assert.Null(profile.Columns[0].Numeric!.SampleSize);
        Assert.Equal(99.99000000000001, profile.Columns[0].Numeric!.Quantiles[0].Value);
        Assert.Equal(2000, profile.Columns[1].Numeric!.SampleSize);
        Assert.All(profile.Columns[1].Numeric!.Histogram.Counts, c => Assert.Equal(500, c));
    }

    [Fact]
    public async Task A_reservoir_that_still_holds_every_value_gives_exact_quantiles_in_one_pass()
    {
        var options = new ProfileOptions { MaxHeldValues = 0, SampleSize = 20_000, BatchSize = 512 };

        var numeric = (await ProfileTestData.ProfileOneAsync(ProfileTestData.Formula(), ColumnType.Numerical, options)).Numeric!;

        Assert.Null(numeric.SampleSize);
        Assert.Equal(85.0, numeric.Quantiles[3].Value);
        Assert.Equal(497, numeric.Histogram.Counts[^1]);
    }

    [Fact]
    public async Task Without_a_way_to_reopen_the_data_a_column_that_outgrows_the_budget_fails()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ProfileTestData.ProfileOneAsync(ProfileTestData.Large(), ColumnType.Numerical, Tight));

        Assert.Contains("reopen", error.Message);
    }

    private static Func<CancellationToken, Task<ITabularReader>> Reopen(List<InMemoryTabularReader> opened, double[] values) => _ =>
    {
        var reader = new InMemoryTabularReader(("x", values));
        opened.Add(reader);
        return Task.FromResult<ITabularReader>(reader);
    };
}
