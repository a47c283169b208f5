using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>
/// Every <see cref="DatasetScannerTests"/> case again, scanning CSV in blocks of a few hundred bytes tallied three at
/// a time, and what only block scanning has: tallies added across blocks.
/// </summary>
public sealed class CsvBlockScannerTests : DatasetScannerTests
{
    private static readonly CsvBlockOptions Small = new(BlockBytes: 256, MinFileBytes: 0, Workers: 3);

    private protected override CsvBlockOptions Blocks => Small;

    [Fact]
    public async Task Distinct_values_are_counted_across_blocks_each_of_which_holds_few()
    {
        using var dir = new TempDirectory();
        // 1001 distinct labels in runs of 40 rows: every 256-byte block sees a handful, the file sees 1001.
        var path = dir.Csv("id,label,mostly\n" + string.Concat(Enumerable.Range(0, 40_040).Select(i => $"{i},v{i / 40},{(i == 40_000 ? "x" : "1")}\n")));

        var scan = await Scan(path);

        Assert.Equal(40_040, scan.RowCount);
        Assert.Equal([ColumnType.Numerical, ColumnType.Text, ColumnType.Categorical], scan.Columns.Select(c => c.InferredType));
    }

    [Fact]
    public async Task The_row_past_the_limit_is_named_even_when_its_block_holds_many()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a\n\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"{i}\n")));

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Scan(path, new ReadLimits(MaxRows: 500)));

        Assert.Equal("Line 503: the file has more than 500 rows, the limit.", error.Message);
    }
}
