using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

public sealed class CategoryProfileTests
{
    [Fact]
    public async Task Top_values_go_by_count_then_ordinal_value()
    {
        string?[] cells = ["b", "a", "B", "c", "a", "b", null, "B", "d"];

        var column = await ProfileTestData.ProfileOneAsync(cells, ColumnType.Categorical, new ProfileOptions { TopCategories = 4 }, maxRowsPerRead: 4);

        Assert.Equal(8, column.Count);
        Assert.Equal(1, column.MissingCount);
        var categories = column.Categories!;
        Assert.Equal(5, categories.DistinctCount);
        Assert.False(categories.DistinctCapped);
        // Ordinal: "B" (0x42) sorts before "a" (0x61).
        Assert.Equal([new("B", 2), new("a", 2), new("b", 2), new CategoryCount("c", 1)], categories.Top);
    }

    // c = Counter("k" + str((i * i) % 37) for i in range(5000)); len(c); sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    [Fact]
    public async Task Counts_match_pythons_counter()
    {
        var cells = Enumerable.Range(0, 5000).Select(i => "k" + i * i % 37).ToArray();

        var categories = (await ProfileTestData.ProfileOneAsync(cells, ColumnType.Text, new ProfileOptions { TopCategories = 6, BatchSize = 700 })).Categories!;

        Assert.Equal(19, categories.DistinctCount);
        Assert.Equal([new("k1", 271), new("k16", 271), new("k4", 271), new("k9", 271), new("k10", 270), new CategoryCount("k11", 270)], categories.Top);
    }

    [Fact]
    public async Task Past_the_cap_new_values_are_present_but_not_counted()
    {
        string?[] cells = ["a", "b", "c", "d", "a", "e", "d", "c"];

        var column = await ProfileTestData.ProfileOneAsync(cells, ColumnType.Categorical, new ProfileOptions { MaxDistinct = 3 });

        Assert.Equal(8, column.Count);
        Assert.Equal(3, column.Categories!.DistinctCount);
        Assert.True(column.Categories.DistinctCapped);
        Assert.Equal([new("a", 2), new("c", 2), new CategoryCount("b", 1)], column.Categories.Top);
    }

    [Fact]
    public async Task Exactly_the_cap_is_not_capped()
    {
        var column = await ProfileTestData.ProfileOneAsync(new string?[] { "a", "b", "c", "a" }, ColumnType.Categorical, new ProfileOptions { MaxDistinct = 3 });

        Assert.Equal(3, column.Categories!.DistinctCount);
        Assert.False(column.Categories.DistinctCapped);
    }

    [Fact]
    public async Task Booleans_are_reported_as_written()
    {
        var column = await ProfileTestData.ProfileOneAsync(new string?[] { "true", "false", "true", null, "True" }, ColumnType.Boolean);

        Assert.Equal(ColumnType.Boolean, column.Type);
        Assert.Null(column.Numeric);
        Assert.Equal([new("true", 2), new("True", 1), new CategoryCount("false", 1)], column.Categories!.Top);
    }
}
