using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>The selection behind the quantiles, against a full sort, on inputs that trouble naive quickselects or bucketing.</summary>
public sealed class OrderStatisticsTests
{
    public static TheoryData<string> BucketShapes =>
        ["random", "few distinct", "one outlier", "powers of ten", "full double range", "tiny range", "sorted", "all equal"];

    [Theory]
    [MemberData(nameof(BucketShapes))]
    public void Values_at_ranks_equal_a_sort_above_the_narrowing_size(string shape)
    {
        var (values, ranks, sorted) = BucketCase(shape);

        var found = OrderStatistics.ValuesAt([values], ranks);

        Assert.Equal(ranks.Select(r => sorted[r]), found);
        Assert.Equal(sorted, values.Order());
    }

    [Theory]
    [MemberData(nameof(BucketShapes))]
    public void Values_in_parts_give_the_same_ranks(string shape)
    {
        var (values, ranks, sorted) = BucketCase(shape);

        var found = OrderStatistics.ValuesAt([values.AsMemory(0, 65_536), values.AsMemory(65_536, 3), values.AsMemory(65_539)], ranks);

        Assert.Equal(ranks.Select(r => sorted[r]), found);
    }

    private static (double[] Values, int[] Ranks, double[] Sorted) BucketCase(string shape)
    {
        const int n = 100_003;
        var random = new Random(11);
        var values = Enumerable.Range(0, n).Select(i => shape switch
        {
            "random" => random.NextDouble() * 1000 - 500,
            "few distinct" => random.Next(5),
            "one outlier" => i == 77 ? 1e12 : random.NextDouble(),
            "powers of ten" => Math.Pow(10, random.Next(-300, 301)),
            "full double range" => (random.NextDouble() - 0.5) * double.MaxValue,
            "tiny range" => random.Next(3) * double.Epsilon,
            "sorted" => i,
            _ => -2.5,
        }).ToArray();
        int[] ranks = [0, 1, 1000, 1001, 25_000, 50_001, 50_002, 75_002, 99_002, n - 2, n - 1];
        return (values, ranks, values.Order().ToArray());
    }

    public static TheoryData<string> Shapes => ["random", "few distinct", "sorted", "reversed", "all equal", "organ pipe"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Selected_ranks_hold_the_values_a_sort_puts_there(string shape)
    {
        const int n = 20_011;
        var random = new Random(7);
        var values = Enumerable.Range(0, n).Select(i => shape switch
        {
            "random" => random.NextDouble() * 1000 - 500,
            "few distinct" => random.Next(5),
            "sorted" => i,
            "reversed" => n - i,
            "all equal" => 3.0,
            _ => Math.Min(i, n - i),
        }).ToArray();
        int[] ranks = [0, 1, 200, 201, 5002, 10_005, 10_006, 15_008, 19_809, 19_810, n - 1];
        var sorted = values.Order().ToArray();

        OrderStatistics.Select(values, ranks);

        Assert.Equal(ranks.Select(r => sorted[r]), ranks.Select(r => values[r]));
        Assert.Equal(sorted, values.Order());
    }
}
