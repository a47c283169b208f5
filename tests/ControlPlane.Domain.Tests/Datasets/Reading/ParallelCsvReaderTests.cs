using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;
using static ControlPlane.Domain.Tests.Datasets.Reading.ReadingTestFiles;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>
/// Every CSV reading test again, with rows parsed in parallel whatever the file's size; then files big enough for
/// the parsing to run far ahead of the rows handed back, read both ways.
/// </summary>
public sealed class ParallelCsvReaderTests : CsvReaderTests
{
    private const int Rows = 200_000;

    protected override bool Parallel => true;

    [Fact]
    public async Task A_big_file_gives_the_same_batches_values_and_invalid_counts_as_a_sequential_read()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv(BigCsv(badRowAt: null));
        ColumnRequest[] requests = [new(0, ColumnReadAs.Number), new(1, ColumnReadAs.Number), new(2, ColumnReadAs.Text), new(1, ColumnReadAs.Text)];

        var sequential = await ReadAllAsync(path, DatasetFormat.Csv, requests, capacity: 1000, parallel: false);
        var parallel = await ReadAllAsync(path, DatasetFormat.Csv, requests, capacity: 1000, parallel: true);

        Assert.Equal(Rows, sequential.Numbers[0].Count);
        Assert.True(sequential.Invalid[1] > 0);
        Assert.Equal(sequential.Batches, parallel.Batches);
        Assert.Equal(sequential.Numbers[0], parallel.Numbers[0]);
        Assert.Equal(sequential.Numbers[1], parallel.Numbers[1]);
        Assert.Equal(sequential.Texts[2], parallel.Texts[2]);
        Assert.Equal(sequential.Texts[3], parallel.Texts[3]);
        Assert.Equal(sequential.Invalid, parallel.Invalid);
    }

    [Fact]
    public async Task A_bad_row_late_in_a_big_file_fails_at_the_same_line_after_the_same_rows()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv(BigCsv(badRowAt: Rows - 1234));

        var sequential = await ReadUntilErrorAsync(path, parallel: false);
        var parallel = await ReadUntilErrorAsync(path, parallel: true);

        Assert.StartsWith("Line ", sequential.Message);
        Assert.Contains("has 2 fields, but the header has 3", sequential.Message);
        Assert.Equal(sequential, parallel);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(300)]
    [InlineData(30_000)]
    public async Task Bad_UTF8_after_a_bad_row_gives_the_error_a_sequential_read_gives(int rowsBetween)
    {
        using var dir = new TempDirectory();
        var text = BigCsv(badRowAt: Rows / 2);
        var cut = IndexOfRow(text, Rows / 2 + rowsBetween);
        var path = dir.Bytes([.. Encoding.UTF8.GetBytes(text[..cut]), .. "7,caf"u8, 0xE9, .. Encoding.UTF8.GetBytes(text[cut..])]);

        var sequential = await ReadUntilErrorAsync(path, parallel: false);
        var parallel = await ReadUntilErrorAsync(path, parallel: true);

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public async Task Reads_in_parallel_must_ask_for_the_same_columns()
    {
        using var dir = new TempDirectory();
        using var reader = await OpenAsync(dir.Csv(BigCsv(badRowAt: null)), DatasetFormat.Csv, parallel: true);

        Assert.True(await reader.ReadAsync(new TabularBatch(Numbers(0, 1), 100)));
        Assert.True(await reader.ReadAsync(new TabularBatch(Numbers(0, 1), 300)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(new TabularBatch(Numbers(1), 100)).AsTask());
    }

    /// <summary>
    /// id, a number (sometimes missing, text or infinite), a label (sometimes quoted with a newline and a quote inside);
    /// a blank line now and then; optionally one row short of a field.
    /// </summary>
    private static string BigCsv(int? badRowAt)
    {
        var csv = new StringBuilder("id,x,label\n");
        for (var i = 0; i < Rows; i++)
        {
            var x = (i % 97, i % 89, i % 1009) switch
            {
                (0, _, _) => "abc",
                (_, 0, _) => "",
                (_, _, 0) => "-Infinity",
                _ => (i * 0.37 - 5000).ToString("R", CultureInfo.InvariantCulture),
            };
            var label = i % 1000 == 0 ? $"\"two\nlines, \"\"{i}\"\"\"" : $"l{i % 50}";
            csv.Append(i == badRowAt ? $"{i},{x}\n" : $"{i},{x},{label}\n");
            if (i % 5000 == 0)
                csv.Append('\n');
        }
        return csv.ToString();
    }

    private static int IndexOfRow(string csv, int row) => csv.IndexOf($"\n{row},", StringComparison.Ordinal) + 1;

    private static async Task<(long Rows, string Message, long? Line)> ReadUntilErrorAsync(string path, bool parallel)
    {
        using var reader = await OpenAsync(path, DatasetFormat.Csv, parallel: parallel);
        var batch = new TabularBatch(Numbers(0, 1), 1000);
        long rows = 0;
        var error = await Assert.ThrowsAsync<DataFormatException>(async () =>
        {
            while (await reader.ReadAsync(batch))
                rows += batch.Count;
        });
        return (rows, error.Message, error.Line);
    }
}
