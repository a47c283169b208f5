using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;
using static ControlPlane.Domain.Tests.Datasets.Reading.ReadingTestFiles;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>
/// Every <see cref="CsvReaderTests"/> case again, reading in blocks of a few bytes parsed three at a time (so blocks
/// are cut inside quoted fields, after blank lines and around every row), and what only block reading has.
/// </summary>
public sealed class CsvBlockReaderTests : CsvReaderTests
{
    private static readonly CsvBlockOptions Tiny = new(BlockBytes: 8, MinFileBytes: 0, MaxQuotedBytes: 1 << 16, Workers: 3, ChunkRows: 3);

    private protected override CsvBlockOptions Blocks => Tiny;

    [Theory]
    [InlineData(64, "\n", 5)]
    [InlineData(1000, "\r\n", 7)]
    [InlineData(4096, "\n", 1024)]
    public async Task Rows_with_quotes_newlines_missing_and_invalid_cells_read_back_as_written(int blockBytes, string newline, int capacity)
    {
        using var dir = new TempDirectory();
        var rows = Enumerable.Range(0, 3000).Select(GeneratedRow.For).ToArray();
        var path = dir.Csv("id,x,note" + newline + string.Concat(rows.Select(r => r.Csv + newline)));
        var blocks = Tiny with { BlockBytes = blockBytes, ChunkRows = 64 };

        var back = await ReadAllAsync(path, DatasetFormat.Csv, [new(1, ColumnReadAs.Number), new(2, ColumnReadAs.Text), new(0, ColumnReadAs.Number)], capacity, blocks: blocks);

        Assert.Equal(rows.Select(r => r.X), back.Numbers[0]);
        Assert.Equal(rows.Select(r => r.Note), back.Texts[1]);
        Assert.Equal(rows.Select(r => (double)r.Id), back.Numbers[2]);
        Assert.Equal(rows.Count(r => r.Invalid), back.Invalid[0]);
        Assert.Equal(
            Enumerable.Range(0, (rows.Length + capacity - 1) / capacity).Select(b => ((long)b * capacity, Math.Min(capacity, rows.Length - b * capacity))),
            back.Batches);
        Assert.Equal(1.0, back.Progress);
    }

    [Fact]
    public async Task A_file_past_the_default_size_is_read_in_blocks_with_every_row_in_order()
    {
        using var dir = new TempDirectory();
        const int rows = 700_000; // ~18 MiB, past the 16 MiB default
        var path = dir.File("big.csv");
        await using (var writer = new StreamWriter(path))
        {
            await writer.WriteLineAsync("i,half,label");
            for (var i = 0; i < rows; i++)
                await writer.WriteLineAsync($"{i},{i}.5,row number {i % 1000}");
        }
        Assert.True(new FileInfo(path).Length > CsvBlockOptions.Default.MinFileBytes);

        using var reader = await TabularReader.OpenAsync(path, DatasetFormat.Csv);
        var batch = new TabularBatch([new(1, ColumnReadAs.Number), new(0, ColumnReadAs.Number), new(2, ColumnReadAs.Text)], 1000);
        long next = 0;
        while (await reader.ReadAsync(batch))
        {
            Assert.Equal(next, batch.FirstRow);
            for (var r = 0; r < batch.Count; r++, next++)
            {
                Assert.Equal(next, batch.Numbers(1)[r]);
                Assert.Equal(next + 0.5, batch.Numbers(0)[r]);
                Assert.Equal($"row number {next % 1000}", batch.Texts(2)[r]);
            }
        }

        if (Environment.ProcessorCount > 1)
            Assert.IsType<CsvBlockTabularReader>(reader);
        Assert.Equal(rows, next);
        Assert.Equal(1.0, reader.Progress);
        using var inOrder = await TabularReader.OpenAsync(path, DatasetFormat.Csv, parseOnAllCores: false);
        Assert.IsType<CsvTabularReader>(inOrder);
    }

    [Fact]
    public async Task A_quote_left_open_longer_than_the_block_limit_is_reported_on_its_own_row()
    {
        using var dir = new TempDirectory();
        var body = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},ok\n"));
        var path = dir.Csv("a,b\n" + body + "200,\"open\n" + body + body);

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            ReadAllAsync(path, DatasetFormat.Csv, Numbers(0), blocks: Tiny with { BlockBytes = 256, MaxQuotedBytes = 1024 }));

        Assert.Equal("Line 202: a quoted field in column 'b' is never closed (a \" without its closing \").", error.Message);
    }

    [Fact]
    public async Task A_header_with_a_quoted_line_break_and_a_BOM_starts_the_blocks_after_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("\n\"first\nname\",b\n1,x\n2,y\n3,\"z\n\"\n4\n", bom: true);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Read(path, Numbers(0)));
        var inOrder = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(path, DatasetFormat.Csv, Numbers(0), blocks: CsvBlockOptions.InOrder));
        var back = await Read(dir.Csv("\n\"first\nname\",b\n1,x\n2,y\n3,\"z\n\"\n", bom: true), [new(0, ColumnReadAs.Number), new(1, ColumnReadAs.Text)]);

        // Line 1 blank, 2-3 the header, 4-5 rows, 6-7 one row, 8 the short row.
        Assert.Equal("Line 8 has 1 fields, but the header has 2: column 'b' is missing.", error.Message);
        Assert.Equal(inOrder.Message, error.Message);
        Assert.Equal(["first\nname", "b"], back.Names);
        Assert.Equal([1.0, 2, 3], back.Numbers[0]);
        Assert.Equal(["x", "y", "z\n"], back.Texts[1]);
    }

    [Theory]
    [InlineData(long.MaxValue, 4, "Line 22 has 1 fields, but the header has 2: column 'b' is missing.")]
    [InlineData(12L, 2, "Line 14: the file has more than 12 rows, the limit.")]
    public async Task The_rows_before_the_first_error_are_handed_out_in_their_batches_as_reading_in_order_does(long maxRows, int batches, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a,b\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{i}\n")) + "x\n");
        var limits = new ReadLimits(MaxRows: maxRows);

        foreach (var blocks in new[] { CsvBlockOptions.InOrder, Tiny with { BlockBytes = 4096 }, Tiny })
        {
            using var reader = await TabularReader.OpenAsync(path, DatasetFormat.Csv, limits, blocks, CancellationToken.None);
            var batch = new TabularBatch(Numbers(0), 5);
            var handedOut = 0;
            var error = await Assert.ThrowsAsync<DataFormatException>(async () =>
            {
                while (await reader.ReadAsync(batch))
                    handedOut++;
            });

            Assert.Equal((batches, message), (handedOut, error.Message));
        }
    }

    [Fact]
    public async Task The_row_past_the_limit_is_reported_before_a_bad_row_after_it_in_the_same_block()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a,b\n1,1\n2,2\n3,3\n4,4\n5\n");
        var limits = new ReadLimits(MaxRows: 3);

        var read = await Assert.ThrowsAsync<DataFormatException>(() =>
            ReadAllAsync(path, DatasetFormat.Csv, Numbers(0), limits: limits, blocks: Tiny with { BlockBytes = 64 }));
        var scan = await Assert.ThrowsAsync<DataFormatException>(() =>
            DatasetScanner.ScanAsync(path, limits, null, Tiny with { BlockBytes = 64 }, null, CancellationToken.None));

        Assert.Equal("Line 5: the file has more than 3 rows, the limit.", read.Message);
        Assert.Equal(read.Message, scan.Message);
    }

    [Fact]
    public async Task A_quote_left_open_in_text_of_multi_byte_characters_is_reported_as_never_closed()
    {
        using var dir = new TempDirectory();
        var body = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},ok\n"));
        var path = dir.Csv("a,b\n" + body + "200,\"" + new string('é', 2000) + "\n" + body);

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            ReadAllAsync(path, DatasetFormat.Csv, Numbers(0), blocks: Tiny with { BlockBytes = 256, MaxQuotedBytes = 1023 }));

        Assert.Equal("Line 202: a quoted field in column 'b' is never closed (a \" without its closing \").", error.Message);
    }

    [Fact]
    public async Task Lone_carriage_returns_after_the_first_mebibyte_still_cut_blocks_and_count_lines()
    {
        using var dir = new TempDirectory();
        var head = string.Concat(Enumerable.Range(0, 70_000).Select(i => $"{i},{i % 7}\n")); // ~0.7 MB of "\n"
        var tail = string.Concat(Enumerable.Range(70_000, 50_000).Select(i => $"{i},{i % 7}\r")); // lone "\r" from here on
        var path = dir.Csv("a,b\n" + head + tail + "oops\r");

        var inOrder = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(path, DatasetFormat.Csv, Numbers(0, 1), blocks: CsvBlockOptions.InOrder));
        var inBlocks = await Assert.ThrowsAsync<DataFormatException>(() =>
            ReadAllAsync(path, DatasetFormat.Csv, Numbers(0, 1), blocks: Tiny with { BlockBytes = 4096, MaxQuotedBytes = 1 << 20 }));

        Assert.Equal("Line 120002 has 1 fields, but the header has 2: column 'b' is missing.", inOrder.Message);
        Assert.Equal(inOrder.Message, inBlocks.Message);
    }

    [Fact]
    public async Task Disposing_twice_and_reading_progress_afterwards_are_harmless()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"{i}\n")));
        var reader = await TabularReader.OpenAsync(path, DatasetFormat.Csv, null, Tiny with { BlockBytes = 64 }, CancellationToken.None);
        Assert.True(await reader.ReadAsync(new TabularBatch(Numbers(0), 10)));

        reader.Dispose();
        reader.Dispose();

        Assert.InRange(reader.Progress, 0, 1);
    }

    [Fact]
    public async Task Files_breaking_lines_with_a_lone_carriage_return_are_read_in_order()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a,b\r1,2\r3,4\r");

        var back = await Read(path, Numbers(0, 1));

        Assert.Equal([1.0, 3], back.Numbers[0]);
        Assert.Equal([2.0, 4], back.Numbers[1]);
    }

    [Fact]
    public async Task Asking_for_other_columns_midway_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a,b\n1,2\n3,4\n5,6\n");
        using var reader = await TabularReader.OpenAsync(path, DatasetFormat.Csv, null, Tiny, CancellationToken.None);

        Assert.True(await reader.ReadAsync(new TabularBatch(Numbers(0), 1)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(new TabularBatch(Numbers(1), 1)).AsTask());
    }

    [Fact]
    public async Task Disposing_midway_stops_cleanly()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i}\n")));
        var reader = await TabularReader.OpenAsync(path, DatasetFormat.Csv, null, Tiny with { BlockBytes = 64 }, CancellationToken.None);
        var batch = new TabularBatch(Numbers(0), 10);

        Assert.True(await reader.ReadAsync(batch));
        reader.Dispose();

        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9], batch.Numbers(0));
    }

    /// <summary>A row whose values are known before it is written: quoted notes with commas, quotes and newlines.</summary>
    private sealed record GeneratedRow(int Id, double X, string? Note, bool Invalid, string Csv)
    {
        public static GeneratedRow For(int i)
        {
            var x = (i * 7919 % 1000 - 500) / 8.0;
            var (xText, value, invalid) = (i % 17) switch
            {
                0 => ("", double.NaN, false),
                5 => ("NA", double.NaN, false),
                11 => ("oops", double.NaN, true),
                13 => ("1e400", double.NaN, true),
                _ => (x.ToString("R", CultureInfo.InvariantCulture), x, false),
            };
            var note = (i % 5) switch
            {
                0 => null,
                1 => $"plain {i}",
                2 => $"comma, {i}",
                3 => $"say \"hi\" {i}",
                _ => $"two\nlines {i}",
            };
            var noteText = note is null ? "" : note.Contains('\n') || note.Contains(',') || note.Contains('"')
                ? "\"" + note.Replace("\"", "\"\"") + "\""
                : note;
            return new GeneratedRow(i, value, note, invalid, new StringBuilder().Append(i).Append(',').Append(xText).Append(',').Append(noteText).ToString());
        }
    }
}
