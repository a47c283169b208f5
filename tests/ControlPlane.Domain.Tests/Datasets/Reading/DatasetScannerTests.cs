using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;
using Parquet.Schema;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>Scanning files in order; <see cref="CsvBlockScannerTests"/> runs every case again scanning CSV in blocks.</summary>
public class DatasetScannerTests
{
    /// <summary>How the cases scan CSV files: here in order, whatever their size.</summary>
    private protected virtual CsvBlockOptions Blocks => CsvBlockOptions.InOrder;

    private protected Task<DatasetScan> Scan(string path, ReadLimits? limits = null, IProgress<double>? progress = null) =>
        DatasetScanner.ScanAsync(path, limits, null, Blocks, progress, CancellationToken.None);

    [Fact]
    public async Task Infers_each_columns_type_and_counts_its_missing_cells()
    {
        const int rows = 30;
        var header = "num_word,zero_one,flag,day,color,name,ratio,empty,year,bad_date";
        var lines = Enumerable.Range(0, rows).Select(i => string.Join(',',
            i == 29 ? "abc" : $"{i}.25",                                   // one word among numbers
            i % 2,                                                          // 0/1
            i == 4 ? "" : i % 3 == 0 ? "true" : "False",                    // booleans, any case
            i % 2 == 0 ? $"2024-01-{i + 1:00}" : $"2024-02-{i % 28 + 1:00}T10:30:00Z",
            i is 10 or 20 ? "NA" : new[] { "red", "green", "blue" }[i % 3], // few distinct values
            $"person {i}",                                                  // all distinct
            i == 3 ? "Infinity" : i == 4 ? "1e400" : (i / 8.0).ToString(CultureInfo.InvariantCulture), // non-finite: still numbers
            "",
            1990 + i,                                                       // numbers, never dates
            "2024-13-45"));                                                 // looks like a date, is not one
        using var dir = new TempDirectory();
        var path = dir.Csv(header + "\n" + string.Join("\n", lines) + "\n");

        var scan = await Scan(path);

        Assert.Equal(new DatasetScan(DatasetFormat.Csv, rows, scan.Columns, ',', HasHeader: true), scan);
        Assert.Equal(
        [
            new ScannedColumn(0, "num_word", ColumnType.Text, 0),
            new ScannedColumn(1, "zero_one", ColumnType.Numerical, 0),
            new ScannedColumn(2, "flag", ColumnType.Boolean, 1),
            new ScannedColumn(3, "day", ColumnType.DateTime, 0),
            new ScannedColumn(4, "color", ColumnType.Categorical, 2),
            new ScannedColumn(5, "name", ColumnType.Text, 0),
            new ScannedColumn(6, "ratio", ColumnType.Numerical, 0),
            new ScannedColumn(7, "empty", ColumnType.Categorical, rows),
            new ScannedColumn(8, "year", ColumnType.Numerical, 0),
            new ScannedColumn(9, "bad_date", ColumnType.Categorical, 0),
        ], scan.Columns);
    }

    [Theory]
    [InlineData(30, 20, ColumnType.Categorical)]     // threshold max(20, min(1000, 30 / 20)) = 20
    [InlineData(30, 21, ColumnType.Text)]
    [InlineData(1_000, 50, ColumnType.Categorical)]  // 1000 / 20 = 50
    [InlineData(1_000, 51, ColumnType.Text)]
    [InlineData(40_000, 1_000, ColumnType.Categorical)] // capped at 1000
    [InlineData(40_000, 1_001, ColumnType.Text)]
    public async Task Strings_are_categorical_up_to_a_distinct_count_that_grows_with_the_rows(int rows, int distinct, ColumnType expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("id,label\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"{i},v{i % distinct}\n")));

        var scan = await Scan(path);

        Assert.Equal(expected, scan.Columns[1].InferredType);
    }

    [Fact]
    public async Task A_bad_row_at_the_very_end_rejects_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a,b\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{i},{i}\n")) + "1,2,3\n");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Scan(path));

        Assert.Equal("Line 10002 has 3 fields, but the header has 2: the extra fields start at column 3.", error.Message);
    }

    [Fact]
    public async Task Reports_the_delimiter_and_a_missing_header()
    {
        using var dir = new TempDirectory();

        var scan = await Scan(dir.Csv("1;2\n3;4\n5;x\n"));
        var single = await Scan(dir.Csv("only\n1\n2\n"));

        Assert.Equal(new DatasetScan(DatasetFormat.Csv, 3, scan.Columns, ';', HasHeader: false), scan);
        Assert.Equal(
            [new ScannedColumn(0, "column_1", ColumnType.Numerical, 0), new ScannedColumn(1, "column_2", ColumnType.Categorical, 0)],
            scan.Columns);
        Assert.Null(single.Delimiter); // one column: there is no delimiter to report
        Assert.True(single.HasHeader);
    }

    [Fact]
    public async Task Parquet_types_come_from_the_schema_and_strings_from_their_distinct_values()
    {
        const int rows = 30;
        var n = new DataField<long?>("n");
        var flag = new DataField<bool>("flag");
        var when = new DateTimeDataField("when", DateTimeFormat.DateAndTime, isNullable: true);
        var color = new DataField<string>("color");
        var name = new DataField<string>("name");
        var score = new DataField<double>("score");
        var all = Enumerable.Range(0, rows).ToArray();
        using var dir = new TempDirectory();
        var path = await dir.ParquetAsync(new ParquetSchema(n, flag, when, color, name, score), 1, async (group, _) =>
        {
            await group.WriteAsync<long>(n, all.Select(i => i % 10 == 0 ? null : (long?)i).ToArray());
            await group.WriteAsync<bool>(flag, all.Select(i => i % 2 == 0).ToArray());
            await group.WriteAsync<DateTime>(when, all.Select(i => i is 3 or 4 ? null : (DateTime?)new DateTime(2024, 1, 1).AddDays(i)).ToArray());
            await group.WriteAsync(color, all.Select(i => i == 7 ? null : new[] { "red", "blue" }[i % 2]).ToArray()!);
            await group.WriteAsync(name, all.Select(i => $"person {i}").ToArray());
            await group.WriteAsync<double>(score, all.Select(i => i == 0 ? double.NaN : i / 2.0).ToArray());
        });

        var scan = await Scan(path);

        Assert.Equal(new DatasetScan(DatasetFormat.Parquet, rows, scan.Columns, null, HasHeader: true), scan);
        Assert.Equal(
        [
            new ScannedColumn(0, "n", ColumnType.Numerical, 3),
            new ScannedColumn(1, "flag", ColumnType.Boolean, 0),
            new ScannedColumn(2, "when", ColumnType.DateTime, 2),
            new ScannedColumn(3, "color", ColumnType.Categorical, 1),
            new ScannedColumn(4, "name", ColumnType.Text, 0),
            new ScannedColumn(5, "score", ColumnType.Numerical, 0), // a stored NaN is a value (invalid), not a null
        ], scan.Columns);
    }

    [Fact]
    public async Task Reports_rising_progress_that_ends_at_one()
    {
        using var dir = new TempDirectory();
        var path = dir.Csv("a\n" + string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i}\n")));
        var progress = new RecordedProgress();

        var scan = await Scan(path, progress: progress);

        Assert.Equal(200_000, scan.RowCount);
        Assert.True(progress.Values.Count >= 3, $"only {progress.Values.Count} reports");
        Assert.Equal(progress.Values.Order(), progress.Values);
        Assert.True(progress.Values[0] is > 0 and < 1);
        Assert.Equal(1.0, progress.Values[^1]);
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private protected sealed class RecordedProgress : IProgress<double>
    {
        public List<double> Values { get; } = [];
        public void Report(double value) => Values.Add(value);
    }
}
