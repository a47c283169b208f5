using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;
using static ControlPlane.Domain.Tests.Datasets.Reading.ReadingTestFiles;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>Reading a CSV file in order; <see cref="CsvBlockReaderTests"/> runs every case again reading in blocks.</summary>
public class CsvReaderTests
{
    /// <summary>How the cases read their files: here in order, whatever their size.</summary>
    private protected virtual CsvBlockOptions Blocks => CsvBlockOptions.InOrder;

    private protected Task<ReadBack> Read(string path, ColumnRequest[] requests, int capacity = 1024, ReadLimits? limits = null) =>
        ReadAllAsync(path, DatasetFormat.Csv, requests, capacity, limits, Blocks);

    [Fact]
    public async Task Reads_numbers_and_text_by_column()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("id,name,score\n1,ada,2.5\n2,bob,-1e3\n3,cy,0.125\n");

        var back = await Read(path, [new(2, ColumnReadAs.Number), new(1, ColumnReadAs.Text), new(0, ColumnReadAs.Number)]);

        Assert.Equal(["id", "name", "score"], back.Names);
        Assert.Equal([2.5, -1000, 0.125], back.Numbers[0]);
        Assert.Equal(["ada", "bob", "cy"], back.Texts[1]);
        Assert.Equal([1.0, 2, 3], back.Numbers[2]);
        Assert.Equal([0L, 0, 0], back.Invalid);
        Assert.Equal(1.0, back.Progress);
    }

    [Fact]
    public async Task Missing_tokens_are_NaN_and_not_invalid_while_other_non_numbers_are_NaN_and_invalid()
    {
        string[] cells = ["", "NA", "N/A", "n/a", "NULL", "null", "None", "NaN", "nan", "<NA>", "Infinity", "-inf", "1e400", "abc", " ", "true", "FALSE", "7.5"];
        using var dir = new TempDirectory();
        var path = dir.Csv("id,v\n" + string.Concat(cells.Select((c, i) => $"{i},{c}\n")));

        var back = await Read(path, [new(1, ColumnReadAs.Number), new(1, ColumnReadAs.Text)]);

        Assert.Equal([.. Enumerable.Repeat(double.NaN, 15), 1, 0, 7.5], back.Numbers[0]);
        Assert.Equal(5, back.Invalid[0]); // Infinity, -inf, 1e400, abc, " "
        Assert.Equal([.. Enumerable.Repeat<string?>(null, 10), "Infinity", "-inf", "1e400", "abc", " ", "true", "FALSE", "7.5"], back.Texts[1]);
    }

    [Fact]
    public async Task A_comma_is_never_part_of_a_number_even_though_Seps_fast_parser_skips_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a;b\n1,5;1.5\n1,000;2\n");

        var back = await Read(path, Numbers(0, 1));

        Assert.Equal([double.NaN, double.NaN], back.Numbers[0]);
        Assert.Equal(2, back.Invalid[0]);
        Assert.Equal([1.5, 2], back.Numbers[1]);
    }

    [Fact]
    public async Task Quoted_fields_keep_their_delimiters_newlines_and_doubled_quotes()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("name,note,v\n\"Smith, J\",\"line1\nline2\",1\n\"say \"\"hi\"\"\",plain,2\n");

        var back = await Read(path, [new(0, ColumnReadAs.Text), new(1, ColumnReadAs.Text), new(2, ColumnReadAs.Number)]);

        Assert.Equal(["Smith, J", "say \"hi\""], back.Texts[0]);
        Assert.Equal(["line1\nline2", "plain"], back.Texts[1]);
        Assert.Equal([1.0, 2], back.Numbers[2]);
    }

    [Fact]
    public async Task The_line_of_a_later_bad_row_counts_the_newlines_inside_quotes()
    {
        using var dir = new TempDirectory();
        // Line 1 header, lines 2-4 one row with two embedded newlines, line 5 fine, line 6 short.
        var path = dir.Csv("a,b\n\"x\ny\nz\",1\n2,3\n4\n");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Read(path, Numbers(1)));

        Assert.Equal("Line 6 has 1 fields, but the header has 2: column 'b' is missing.", error.Message);
        Assert.Equal(6, error.Line);
        Assert.Equal("b", error.Column);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_UTF8_with_or_without_a_BOM(bool bom)
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("città,v\nMünchen,1\n東京,2\n", bom);

        var back = await Read(path, [new(0, ColumnReadAs.Text), new(1, ColumnReadAs.Number)]);

        Assert.Equal(["città", "v"], back.Names);
        Assert.Equal(["München", "東京"], back.Texts[0]);
        Assert.Equal([1.0, 2], back.Numbers[1]);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public async Task Detects_the_delimiter(char delimiter)
    {
        using var dir = new TempDirectory();
        var path = dir.Csv($"a{delimiter}b\n1.5{delimiter}x,y\n2{delimiter}z\n");

        var back = await Read(path, [new(0, ColumnReadAs.Number), new(1, ColumnReadAs.Text)]);

        Assert.Equal(["a", "b"], back.Names);
        Assert.Equal([1.5, 2], back.Numbers[0]);
        Assert.Equal(["x,y", "z"], back.Texts[1]);
    }

    [Fact]
    public async Task A_first_row_of_numbers_is_data_and_the_columns_are_numbered()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("1,2.5,-3\n4,5,6e1\n");

        var back = await Read(path, Numbers(0, 1, 2));

        Assert.Equal(["column_1", "column_2", "column_3"], back.Names);
        Assert.Equal([1.0, 4], back.Numbers[0]);
        Assert.Equal([2.5, 5], back.Numbers[1]);
        Assert.Equal([-3.0, 60], back.Numbers[2]);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_and_still_counted_in_line_numbers()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("\r\n\r\na;b\r\n1;2\r\n\r\n3;4\r\n5\r\n");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Read(path, Numbers(0)));
        Assert.Equal(7, error.Line);

        var good = await Read(dir.Csv("\n\na;b\n1;2\n\n3;4\n\n"), Numbers(0, 1));
        Assert.Equal(["a", "b"], good.Names);
        Assert.Equal([1.0, 3], good.Numbers[0]);
        Assert.Equal([2.0, 4], good.Numbers[1]);
    }

    [Fact]
    public async Task Batches_cover_every_row_in_order_across_boundaries()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("i,t\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},r{i}\n")));

        var back = await Read(path, [new(0, ColumnReadAs.Number), new(1, ColumnReadAs.Text)], capacity: 7);

        Assert.Equal([(0L, 7), (7L, 7), (14L, 6)], back.Batches);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), back.Numbers[0]);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"r{i}"), back.Texts[1]);
    }

    [Fact]
    public async Task A_request_for_a_column_the_file_lacks_is_refused()
    {
        using var dir = new TempDirectory();
        using var reader = await TabularReader.OpenAsync(dir.Csv("a,b\n1,2\n"), DatasetFormat.Csv);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.ReadAsync(new TabularBatch(Numbers(2))).AsTask());
    }

    public static TheoryData<string, string, long?, string?> Malformed => new()
    {
        { "a,b\n1,2\n3,4,5\n", "Line 3 has 3 fields, but the header has 2: the extra fields start at column 3.", 3, "3" },
        { "a,b\n1,2\n3\n", "Line 3 has 1 fields, but the header has 2: column 'b' is missing.", 3, "b" },
        { "1,2\n3,4,5\n", "Line 2 has 3 fields, but the first row has 2: the extra fields start at column 3.", 2, "3" },
        { "a,b\n1,2\n3,\"x\n4,5\n", "Line 3: a quoted field in column 'b' is never closed (a \" without its closing \").", 3, "b" },
        { "a,b\n1,\"x\n", "Line 2: a quoted field in column 'b' is never closed (a \" without its closing \").", 2, "b" },
        { "", "The file is empty.", null, null },
        { " \r\n\t\n\n", "The file is empty.", null, null },
        { "a,b\n", "The file has a header but no data rows.", 1, null },
        { "a,b\n\n\n", "The file has a header but no data rows.", 1, null },
        { "id,Name,x,name\n1,2,3,4\n", "Line 1: columns 2 and 4 are both named 'name' (names must differ, ignoring case).", 1, "name" },
        { "a,,c\n1,2,3\n", "Line 1: column 2 has an empty name.", 1, "2" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_files_say_what_is_wrong_and_where(string text, string message, long? line, string? column)
    {
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Read(dir.Csv(text), Numbers(0)));

        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_row_longer_than_16_MiB_is_refused_naming_its_line(bool quoted)
    {
        using var dir = new TempDirectory();
        var cell = new string('y', 17 << 20);
        var path = dir.Csv($"a,b\n1,x\n2,{(quoted ? $"\"{cell}\"" : cell)}\n3,z\n");

        // Block reading takes a quote open past MaxQuotedBytes as never closed: the default lets this one reach Sep.
        var blocks = Blocks with { MaxQuotedBytes = CsvBlockOptions.Default.MaxQuotedBytes };
        var error = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(path, DatasetFormat.Csv, Numbers(0), blocks: blocks));

        Assert.Equal("Line 3: the row is longer than 16 MiB, the most a CSV row may hold.", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task Invalid_UTF8_names_its_line_even_far_into_the_file()
    {
        using var dir = new TempDirectory();
        var head = Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{i},é{i}\n")));
        var path = dir.Bytes([.. head, .. "7,caf"u8, 0xE9, .. "\n8,ok\n"u8]); // Latin-1 é

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Read(path, Numbers(0)));

        Assert.StartsWith("Line 50002 is not valid UTF-8 (byte ", error.Message);
        Assert.Equal(50_002, error.Line);
    }

    [Fact]
    public async Task Invalid_UTF8_in_the_header_is_reported_at_open()
    {
        using var dir = new TempDirectory();
        var path = dir.Bytes([.. "a,"u8, 0xFF, .. "\n1,2\n"u8]);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => TabularReader.OpenAsync(path, DatasetFormat.Csv));

        Assert.Equal("Line 1 is not valid UTF-8 (byte 3 of the file). Save the file as UTF-8 and upload it again.", error.Message);
    }

    [Fact]
    public async Task Limits_on_columns_and_rows_are_enforced()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a,b,c\n1,2,3\n4,5,6\n7,8,9\n");

        var columns = await Assert.ThrowsAsync<DataFormatException>(() => Read(path, Numbers(0), limits: new ReadLimits(MaxColumns: 2)));
        var rows = await Assert.ThrowsAsync<DataFormatException>(() => Read(path, Numbers(0), limits: new ReadLimits(MaxRows: 2)));
        var exact = await Read(path, Numbers(0), limits: new ReadLimits(MaxColumns: 3, MaxRows: 3));

        Assert.Equal("Line 1: the file has 3 columns, more than the limit of 2.", columns.Message);
        Assert.Equal("Line 4: the file has more than 2 rows, the limit.", rows.Message);
        Assert.Equal([1.0, 4, 7], exact.Numbers[0]);
    }
}
