using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;
using Parquet.Schema;
using static ControlPlane.Domain.Tests.Datasets.Reading.ReadingTestFiles;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

public sealed class ParquetReaderTests
{
    private const int Groups = 3;
    private const int GroupRows = 10;
    private const int Rows = Groups * GroupRows;
    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // The values of row i, each column with its own pattern of nulls and oddities.
    private static int? X(int i) => i % 3 == 0 ? null : i * 10;
    private static double D(int i) => i == 5 ? double.NaN : i == 17 ? double.PositiveInfinity : i / 4.0;
    private static string? S(int i) => i % 4 == 0 ? null : i % 5 == 0 ? "word" : $"{i}.5";
    private static bool? B(int i) => i % 6 == 0 ? null : i % 2 == 0;
    private static DateTime? T(int i) => i % 7 == 0 ? null : Epoch.AddHours(i);
    private static decimal? M(int i) => i % 8 == 0 ? null : i * 1.25m;

    private static readonly DataField IdField = new DataField<int>("id");
    private static readonly DataField XField = new DataField<int?>("x");
    private static readonly DataField DField = new DataField<double>("d");
    private static readonly DataField SField = new DataField<string>("s");
    private static readonly DataField BField = new DataField<bool?>("b");
    private static readonly DataField TField = new DateTimeDataField("t", DateTimeFormat.DateAndTime, isAdjustedToUTC: true, isNullable: true);
    private static readonly DataField MField = new DecimalDataField("m", 10, 2, isNullable: true);

    private static Task<string> WriteSampleAsync(TempDirectory dir) =>
        dir.ParquetAsync(new ParquetSchema(IdField, XField, DField, SField, BField, TField, MField), Groups, async (group, g) =>
        {
            var rows = Enumerable.Range(g * GroupRows, GroupRows).ToArray();
            await group.WriteAsync<int>(IdField, rows);
            await group.WriteAsync<int>(XField, rows.Select(X).ToArray());
            await group.WriteAsync<double>(DField, rows.Select(D).ToArray());
            await group.WriteAsync(SField, rows.Select(S).ToArray()!);
            await group.WriteAsync<bool>(BField, rows.Select(B).ToArray());
            await group.WriteAsync<DateTime>(TField, rows.Select(T).ToArray());
            await group.WriteAsync<decimal>(MField, rows.Select(M).ToArray());
        });

    [Fact]
    public async Task A_row_group_over_the_limit_is_refused_from_the_footer_naming_it()
    {
        using var dir = new TempDirectory();
        var path = await WriteSampleAsync(dir); // three groups of 10 rows

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            TabularReader.OpenAsync(path, DatasetFormat.Parquet, new ReadLimits(MaxRowGroupRows: GroupRows - 1)));
        using var atTheLimit = await TabularReader.OpenAsync(path, DatasetFormat.Parquet, new ReadLimits(MaxRowGroupRows: GroupRows));

        Assert.StartsWith("Row group 1 holds 10 rows; a row group may hold at most 9 here", error.Message);
        Assert.Equal(Rows, atTheLimit.RowCount);
    }

    [Fact]
    public async Task Reads_every_row_group_back_exactly_in_batches_that_straddle_groups()
    {
        using var dir = new TempDirectory();
        var path = await WriteSampleAsync(dir);
        var all = Enumerable.Range(0, Rows).ToArray();

        var back = await ReadAllAsync(path, DatasetFormat.Parquet,
            [.. Numbers(0, 1, 2, 3, 4, 6), .. Texts(3, 5, 4, 0)], capacity: 7);

        Assert.Equal(["id", "x", "d", "s", "b", "t", "m"], back.Names);
        Assert.Equal([(0L, 7), (7L, 7), (14L, 7), (21L, 7), (28L, 2)], back.Batches);
        Assert.Equal(all.Select(i => (double)i), back.Numbers[0]);
        Assert.Equal(all.Select(i => X(i) is { } x ? (double)x : double.NaN), back.Numbers[1]);
        Assert.Equal(all.Select(i => i is 5 or 17 ? double.NaN : i / 4.0), back.Numbers[2]);
        Assert.Equal(all.Select(i => S(i) is null or "word" ? double.NaN : i + 0.5), back.Numbers[3]);
        Assert.Equal(all.Select(i => B(i) is { } b ? (b ? 1.0 : 0.0) : double.NaN), back.Numbers[4]);
        Assert.Equal(all.Select(i => M(i) is { } m ? (double)m : double.NaN), back.Numbers[5]);
        Assert.Equal(all.Select(S), back.Texts[6]);
        Assert.Equal(all.Select(i => T(i)?.ToString("O", CultureInfo.InvariantCulture)), back.Texts[7]);
        Assert.Equal("2024-01-01T01:00:00.0000000Z", back.Texts[7][1]);
        Assert.Equal(all.Select(i => B(i)?.ToString()), back.Texts[8]);
        Assert.Equal(all.Select(i => i.ToString(CultureInfo.InvariantCulture)), back.Texts[9]);
        // d: NaN and +Infinity are present but not finite; s: "word" at rows 5, 10 (not 20: null), 15, 25 (not 0: null).
        Assert.Equal([0L, 0, 2, 4, 0, 0, 0, 0, 0, 0], back.Invalid);
        Assert.Equal(1.0, back.Progress);
    }

    [Fact]
    public async Task A_required_column_never_reads_as_missing_however_often_files_are_read_side_by_side()
    {
        // Parquet.Net 6.1 reads a required column into nullable values with a pooled definition-level buffer it does
        // not fill: whatever an earlier read left there (nulls of a nullable column) came back as missing values.
        using var dir = new TempDirectory();
        var sparse = new DataField<double?>("sparse");
        var count = new DataField<int>("count");
        var colour = new DataField<string>("colour");
        var flag = new DataField<bool?>("flag");
        var day = new DataField<DateTime>("day");
        const int groupRows = 700;
        var path = await dir.ParquetAsync(new ParquetSchema(sparse, count, colour, flag, day), groups: 4, async (group, g) =>
        {
            var rows = Enumerable.Range(g * groupRows, groupRows).ToArray();
            await group.WriteAsync<double>(sparse, rows.Select(i => i % 9 == 0 ? (double?)null : i).ToArray());
            await group.WriteAsync<int>(count, rows.Select(i => i % 5).ToArray());
            await group.WriteAsync(colour, rows.Select(i => i % 13 == 0 ? null : new[] { "red", "green", "blue" }[i % 3]).ToArray());
            await group.WriteAsync<bool>(flag, rows.Select(i => i % 7 == 0 ? (bool?)null : i % 3 == 0).ToArray());
            await group.WriteAsync<DateTime>(day, rows.Select(i => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i)).ToArray());
        });
        ColumnRequest[] requests = [new(0, ColumnReadAs.Number), new(1, ColumnReadAs.Number), new(2, ColumnReadAs.Text), new(3, ColumnReadAs.Text), new(4, ColumnReadAs.Text)];
        var expected = Enumerable.Range(0, 4 * groupRows).Select(i => (double)(i % 5)).ToArray();
        var wrong = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, _) =>
        {
            var back = await ReadAllAsync(path, DatasetFormat.Parquet, requests, 300);
            if (!back.Numbers[1].SequenceEqual(expected) || back.Texts[4].Any(t => t is null))
                Interlocked.Increment(ref wrong);
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public async Task Row_count_comes_from_the_metadata_and_progress_from_rows_served()
    {
        using var dir = new TempDirectory();
        using var reader = await TabularReader.OpenAsync(await dir.DoublesAsync(Groups, GroupRows), DatasetFormat.Parquet);
        var batch = new TabularBatch(Numbers(0), capacity: 12);

        Assert.Equal(Rows, reader.RowCount);
        Assert.Equal(0.0, reader.Progress);
        Assert.True(await reader.ReadAsync(batch));
        Assert.Equal(12.0 / Rows, reader.Progress);
    }

    [Fact]
    public async Task Batches_of_7_over_20_rows_in_groups_of_6()
    {
        using var dir = new TempDirectory();
        var field = new DataField<double>("d");
        var path = await dir.ParquetAsync(new ParquetSchema(field), 4, (group, g) =>
            group.WriteAsync<double>(field, Enumerable.Range(g * 6, g == 3 ? 2 : 6).Select(i => (double)i).ToArray()));

        var back = await ReadAllAsync(path, DatasetFormat.Parquet, Numbers(0), capacity: 7);

        Assert.Equal([(0L, 7), (7L, 7), (14L, 6)], back.Batches);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), back.Numbers[0]);
    }

    [Fact]
    public async Task Nested_and_binary_columns_are_refused_by_name()
    {
        using var dir = new TempDirectory();
        var id = new DataField<int>("id");
        var item = new DataField<int>("item");
        var city = new DataField<string>("city");
        var blob = new DataField<byte[]>("blob");
        var list = await dir.ParquetAsync(new ParquetSchema(id, new ListField("tags", item)), 1, async (group, _) =>
        {
            await group.WriteAsync<int>(id, new[] { 1, 2 });
            await group.WriteAsync<int>(item, new int?[] { 1, 2, 3 }, new int[] { 0, 1, 0 });
        });
        var structure = await dir.ParquetAsync(new ParquetSchema(id, new StructField("address", city)), 1, async (group, _) =>
        {
            await group.WriteAsync<int>(id, new[] { 1 });
            await group.WriteAsync(city, new[] { "Paris" });
        });

        var binary = await dir.ParquetAsync(new ParquetSchema(id, blob), 1, async (group, _) =>
        {
            await group.WriteAsync<int>(id, new[] { 1 });
            await group.WriteAsync(blob, new[] { new byte[] { 1, 2 } });
        });

        var listError = await Assert.ThrowsAsync<DataFormatException>(() => TabularReader.OpenAsync(list, DatasetFormat.Parquet));
        var structError = await Assert.ThrowsAsync<DataFormatException>(() => TabularReader.OpenAsync(structure, DatasetFormat.Parquet));
        var binaryError = await Assert.ThrowsAsync<DataFormatException>(() => TabularReader.OpenAsync(binary, DatasetFormat.Parquet));

        Assert.Equal("Column 'tags' is a list; only flat columns of single values can be read.", listError.Message);
        Assert.Equal("tags", listError.Column);
        Assert.Equal("Column 'address' is a struct; only flat columns of single values can be read.", structError.Message);
        Assert.Equal("Column 'blob' holds binary values, which cannot be read.", binaryError.Message);
    }

    [Theory]
    [InlineData(0xFF)] // Parquet.Net fails in its Thrift decoder
    [InlineData(0x00)] // Parquet.Net fails in Snappy with an InvalidDataException
    public async Task Damaged_column_data_is_a_format_error_naming_the_column(byte fill)
    {
        using var dir = new TempDirectory();
        var bytes = await File.ReadAllBytesAsync(await dir.DoublesAsync(Groups, GroupRows));
        var footer = BitConverter.ToInt32(bytes, bytes.Length - 8);
        bytes.AsSpan(4, bytes.Length - 8 - footer - 4).Fill(fill); // every page, but not the footer

        var error = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(dir.Bytes(bytes), DatasetFormat.Parquet, Numbers(0)));

        Assert.StartsWith("Column 'd' cannot be read from row group 1: the Parquet file is corrupt (", error.Message);
        Assert.Equal("d", error.Column);
    }

    [Fact]
    public async Task A_file_that_only_starts_like_Parquet_is_a_format_error()
    {
        using var dir = new TempDirectory();
        var garbage = dir.Bytes([.. "PAR1"u8, .. "definitely not parquet"u8]);
        var whole = await File.ReadAllBytesAsync(await dir.DoublesAsync(Groups, GroupRows));
        var truncated = dir.Bytes(whole[..(whole.Length / 2)]);

        foreach (var path in new[] { garbage, truncated })
        {
            var error = await Assert.ThrowsAsync<DataFormatException>(() => TabularReader.OpenAsync(path, DatasetFormat.Parquet));
            Assert.StartsWith("The file is not a valid Parquet file (", error.Message);
        }
    }

    [Fact]
    public async Task A_file_without_rows_or_over_the_row_limit_is_refused()
    {
        using var dir = new TempDirectory();
        var empty = await dir.DoublesAsync(groups: 0, GroupRows);
        var thirty = await dir.DoublesAsync(Groups, GroupRows);

        var none = await Assert.ThrowsAsync<DataFormatException>(() => TabularReader.OpenAsync(empty, DatasetFormat.Parquet));
        var over = await Assert.ThrowsAsync<DataFormatException>(
            () => TabularReader.OpenAsync(thirty, DatasetFormat.Parquet, new ReadLimits(MaxRows: 29)));

        Assert.Equal("The file has no data rows.", none.Message);
        Assert.Equal("The file has 30 rows, more than the limit of 29.", over.Message);
    }

    [Fact]
    public async Task Detects_Parquet_by_its_magic_bytes()
    {
        using var dir = new TempDirectory();

        Assert.Equal(DatasetFormat.Parquet, DatasetFormats.Detect(await dir.DoublesAsync(1, 3)));
        Assert.Equal(DatasetFormat.Csv, DatasetFormats.Detect(dir.Csv("a,b\n1,2\n")));
        Assert.Equal(DatasetFormat.Csv, DatasetFormats.Detect(dir.Csv("PAR")));
        Assert.Equal(DatasetFormat.Csv, DatasetFormats.Detect(dir.Csv("")));
    }
}
