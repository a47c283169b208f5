using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;
using static ControlPlane.Domain.Tests.Datasets.Reading.ReadingTestFiles;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>
/// Seeded random files (quoted fields with delimiters, quotes and line breaks; blank lines; CRLF; missing, invalid and
/// boolean cells; now and then a short row or a quote never closed): read and scanned in blocks of random small sizes,
/// each gives exactly what reading in order gives, or the same error.
/// </summary>
public sealed class CsvBlockEquivalenceTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Blocks_of_any_size_read_and_scan_as_reading_in_order_does(int seed)
    {
        var random = new Random(seed);
        using var dir = new TempDirectory();
        var path = dir.Csv(RandomCsv(random));
        var blocks = new CsvBlockOptions(BlockBytes: random.Next(8, 300), MinFileBytes: 0, MaxQuotedBytes: 1 << 16, Workers: random.Next(2, 5), ChunkRows: random.Next(1, 40));
        ColumnRequest[] requests = [new(0, ColumnReadAs.Number), new(1, ColumnReadAs.Text), new(2, ColumnReadAs.Number)];
        var capacity = random.Next(1, 50);

        var inOrder = await Outcome(() => ReadAllAsync(path, DatasetFormat.Csv, requests, capacity, blocks: CsvBlockOptions.InOrder));
        var inBlocks = await Outcome(() => ReadAllAsync(path, DatasetFormat.Csv, requests, capacity, blocks: blocks));
        var scanInOrder = await Outcome(() => DatasetScanner.ScanAsync(path, null, null, CsvBlockOptions.InOrder, null, CancellationToken.None));
        var scanInBlocks = await Outcome(() => DatasetScanner.ScanAsync(path, null, null, blocks, null, CancellationToken.None));

        Assert.Equal(inOrder, inBlocks);
        Assert.Equal(scanInOrder, scanInBlocks);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 80)];

    private static async Task<string> Outcome(Func<Task<ReadBack>> read)
    {
        try
        {
            var back = await read();
            return string.Join("|", back.Numbers[0].Select(Format)) + "#" + string.Join("|", back.Texts[1]) + "#" + string.Join("|", back.Numbers[2].Select(Format))
                + "#" + string.Join(",", back.Invalid) + "#" + string.Join(",", back.Batches) + "#" + back.Progress;
        }
        catch (DataFormatException e)
        {
            return $"error: {e.Message} ({e.Line}, {e.Column})";
        }
    }

    private static async Task<string> Outcome(Func<Task<DatasetScan>> scan)
    {
        try
        {
            var result = await scan();
            return $"{result.RowCount} {result.Delimiter} {result.HasHeader} " + string.Join(",", result.Columns);
        }
        catch (DataFormatException e)
        {
            return $"error: {e.Message} ({e.Line}, {e.Column})";
        }
    }

    private static string Format(double value) => BitConverter.DoubleToInt64Bits(value).ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    private static string RandomCsv(Random random)
    {
        var newline = random.Next(2) == 0 ? "\n" : "\r\n";
        var text = new StringBuilder("a,b,c" + newline);
        var rows = random.Next(1, 120);
        for (var r = 0; r < rows; r++)
        {
            if (random.Next(15) == 0)
                text.Append(newline); // a blank line
            var fields = random.Next(400) == 0 ? random.Next(1, 5) : 3; // now and then a ragged row
            text.Append(string.Join(",", Enumerable.Range(0, fields).Select(_ => Cell(random, newline))));
            if (random.Next(600) == 0)
                text.Append(",\"never closed");
            if (r < rows - 1 || random.Next(2) == 0)
                text.Append(newline);
        }
        return text.ToString();
    }

    private static string Cell(Random random, string newline) => random.Next(12) switch
    {
        0 => "",
        1 => "NA",
        2 => "oops",
        3 => "1e400",
        4 => "TRUE",
        5 => $"\"{random.Next(1000)},{random.Next(10)}\"",
        6 => $"\"say \"\"hi\"\"{newline}again\"",
        7 => "\"\"",
        _ => (random.NextDouble() * 2000 - 1000).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
