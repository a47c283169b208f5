using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>Held values across chunk boundaries: all of them while the budget allows, then the reservoir sample.</summary>
public sealed class HeldValuesTests
{
    private const int Seed = 3;

    [Fact]
    public void Values_within_the_budget_are_kept_in_order_across_chunks()
    {
        var values = Stream(200_003);
        var held = new HeldValues(new HeldValuesBudget(long.MaxValue), sampleSize: 10, Seed);

        foreach (var batch in Batches(values))
            held.Add(batch);

        Assert.False(held.IsSample);
        Assert.Equal(values, Held(held));
    }

    [Theory]
    [InlineData(150_000, 70_000)] // a sample bigger than a chunk, taken once two chunks are full
    [InlineData(1_000, 500)]
    [InlineData(100_000, 100_000)]
    public void Past_the_budget_the_sample_is_algorithm_R_over_the_whole_stream(long budget, int sampleSize)
    {
        var values = Stream(200_003);
        var held = new HeldValues(new HeldValuesBudget(budget), sampleSize, Seed);

        foreach (var batch in Batches(values))
            held.Add(batch);

        Assert.True(held.IsSample);
        Assert.Equal(AlgorithmR(values, budget, sampleSize), Held(held));
    }

    private static double[] Held(HeldValues held)
    {
        Assert.True(held.Parts.Count > 1 || held.Count <= 65_536);
        return [.. held.Parts.SelectMany(part => part.ToArray())];
    }

    private static double[] Stream(int n) => [.. Enumerable.Range(0, n).Select(i => i * 0.5)];

    private static IEnumerable<double[]> Batches(double[] values)
    {
        var sizes = new[] { 1, 4093, 8192, 777 };
        for (int start = 0, k = 0; start < values.Length; start += sizes[k++ % sizes.Length])
            yield return values[start..Math.Min(values.Length, start + sizes[k % sizes.Length])];
    }

    /// <summary>The reference: whole batches held while they fit the budget, then Algorithm R from that point on.</summary>
    private static double[] AlgorithmR(double[] values, long budget, int sampleSize)
    {
        var held = new List<double>();
        var random = (Random?)null;
        long seen = 0;
        foreach (var batch in Batches(values))
        {
            if (random is null && held.Count + batch.Length <= budget)
            {
                held.AddRange(batch);
                seen += batch.Length;
                continue;
            }
            if (random is null)
            {
                random = new Random(Seed);
                for (var i = sampleSize; i < held.Count; i++)
                {
                    var j = random.NextInt64(i + 1);
                    if (j < sampleSize)
                        held[(int)j] = held[i];
                }
                held = held.Take(sampleSize).ToList();
            }
            foreach (var value in batch)
            {
                if (held.Count < sampleSize)
                    held.Add(value);
                else if (random.NextInt64(seen + 1) is var j && j < sampleSize)
                    held[(int)j] = value;
                seen++;
            }
        }
        return [.. held];
    }
}
