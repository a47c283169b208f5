using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Tests.Datasets.Reading;
using ControlPlane.TestSupport;
using Parquet.Schema;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>
/// Profiling during the upload scan: the profile it completes must equal, to the last bit of its JSON, the profile
/// read from the file after a plain scan, whatever the scan could or could not do on the way.
/// </summary>
public sealed class ScanProfileTests
{
    private const int Rows = 2_500;

    private static readonly ProfileOptions Small = new() { BatchSize = 300 };

    [Fact]
    public async Task Mixed_columns_profile_as_a_scan_then_a_read_does_reading_again_only_for_text_and_dates()
    {
        using var dir = new TempDirectory();
        var path = MixedCsv(dir);

        var (fromScan, opens) = await ScanThenCompleteAsync(path, Small);
        var fromFile = await ScanThenReadAsync(path, Small);

        Assert.Equal(Json(fromFile), Json(fromScan));
        Assert.Equal(1, opens);
        var scan = await DatasetScanner.ScanAsync(path, null, Small, null, CancellationToken.None);
        var plain = await DatasetScanner.ScanAsync(path);
        Assert.Equal(plain.Columns, scan.Columns);
        Assert.Equal(plain with { Columns = scan.Columns }, scan with { Profiles = null });
        Assert.Equal(
            [ColumnType.Numerical, ColumnType.Numerical, ColumnType.Categorical, ColumnType.Boolean, ColumnType.DateTime,
             ColumnType.Text, ColumnType.Text, ColumnType.Categorical, ColumnType.Numerical],
            scan.Columns.Select(c => c.InferredType));
        Assert.Equal([true, true, true, true, false, false, false, true, true], scan.Profiles!.Select(p => p is not null));
    }

    [Fact]
    public async Task Numbers_and_categories_alone_need_no_second_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("numbers.csv");
        File.WriteAllText(path, "a,b,c\n" + string.Concat(Enumerable.Range(0, Rows).Select(i => $"{i * 0.5},{(i % 7 == 0 ? "NA" : i % 3)},k{i % 4}\n")));

        var (fromScan, opens) = await ScanThenCompleteAsync(path, Small);

        Assert.Equal(Json(await ScanThenReadAsync(path, Small)), Json(fromScan));
        Assert.Equal(0, opens);
    }

    [Theory]
    [InlineData("label", ColumnType.Text)]
    [InlineData("flag", ColumnType.Categorical)]
    [InlineData("label", ColumnType.Numerical)]
    [InlineData("price", ColumnType.Categorical)]
    public async Task A_type_changed_at_upload_is_profiled_as_changed(string name, ColumnType type)
    {
        using var dir = new TempDirectory();
        var path = MixedCsv(dir);

        var (fromScan, _) = await ScanThenCompleteAsync(path, Small, (name, type));

        Assert.Equal(Json(await ScanThenReadAsync(path, Small, (name, type))), Json(fromScan));
        Assert.Equal(type, fromScan.Columns.Single(c => c.Name == name).Type);
    }

    [Fact]
    public async Task Numbers_outgrowing_the_budget_are_sampled_as_a_read_samples_them()
    {
        using var dir = new TempDirectory();
        var path = MixedCsv(dir);
        var tight = Small with { MaxHeldValues = 3_000, SampleSize = 500 };

        var (fromScan, opens) = await ScanThenCompleteAsync(path, tight);
        var fromFile = await ScanThenReadAsync(path, tight);

        Assert.Equal(Json(fromFile), Json(fromScan));
        Assert.Equal(2, opens); // the read, and its histogram pass over sampled columns
        Assert.Contains(fromScan.Columns, c => c.Numeric?.SampleSize == 500);
    }

    [Fact]
    public async Task Categories_past_the_distinct_cap_are_counted_as_a_read_counts_them()
    {
        using var dir = new TempDirectory();
        var path = MixedCsv(dir);
        var capped = Small with { MaxDistinct = 3 };

        var (fromScan, _) = await ScanThenCompleteAsync(path, capped);

        Assert.Equal(Json(await ScanThenReadAsync(path, capped)), Json(fromScan));
        Assert.Contains(fromScan.Columns, c => c.Categories?.DistinctCapped == true);
    }

    [Fact]
    public async Task Parquet_is_profiled_in_its_scan_as_a_read_profiles_it_and_never_read_again()
    {
        using var dir = new TempDirectory();
        var price = new DataField<double?>("price");
        var n = new DataField<int>("n");
        var colour = new DataField<string>("colour");
        var label = new DataField<string>("label");
        var flag = new DataField<bool?>("flag");
        var day = new DataField<DateTime>("day");
        const int groupRows = 700;
        var path = await dir.ParquetAsync(new ParquetSchema(price, n, colour, label, flag, day), groups: 4, async (group, g) =>
        {
            var rows = Enumerable.Range(g * groupRows, groupRows).ToArray();
            await group.WriteAsync<double>(price, rows.Select(i => i % 9 == 0 ? (double?)null : Math.Sin(i) * 1e4).ToArray());
            await group.WriteAsync<int>(n, rows.Select(i => i % 5).ToArray());
            await group.WriteAsync(colour, rows.Select(i => i % 13 == 0 ? null : new[] { "red", "green", "blue" }[i % 3]).ToArray());
            await group.WriteAsync(label, rows.Select(i => $"w{i * 31 % 1777}").ToArray());
            await group.WriteAsync<bool>(flag, rows.Select(i => i % 7 == 0 ? (bool?)null : i % 3 == 0).ToArray());
            await group.WriteAsync<DateTime>(day, rows.Select(i => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i)).ToArray());
        });

        var scan = await DatasetScanner.ScanAsync(path, null, Small, null, CancellationToken.None);
        var opens = 0;
        var fromScan = await DatasetProfiler.ProfileAsync(scan, ct =>
        {
            opens++;
            return TabularReader.OpenAsync(path, DatasetFormat.Parquet, null, ct);
        }, Columns(scan, null), Small, null, CancellationToken.None);
        var plain = await DatasetScanner.ScanAsync(path);
        using var reader = await TabularReader.OpenAsync(path, DatasetFormat.Parquet);
        var fromFile = await DatasetProfiler.ProfileAsync(reader, Columns(plain, null), Small, null, CancellationToken.None);

        Assert.Equal(0, opens);
        Assert.Equal(plain with { Columns = scan.Columns }, scan with { Profiles = null });
        Assert.Equal(plain.Columns, scan.Columns);
        Assert.Equal(
            [ColumnType.Numerical, ColumnType.Numerical, ColumnType.Categorical, ColumnType.Text, ColumnType.Boolean, ColumnType.DateTime],
            scan.Columns.Select(c => c.InferredType));
        // Multiples of k in 0..2799: 2799 / k + 1.
        Assert.Equal([2799 / 9 + 1, 0, 2799 / 13 + 1, 0, 2799 / 7 + 1, 0], scan.Columns.Select(c => c.MissingCount));
        Assert.Equal(Json(fromFile), Json(fromScan));
    }

    /// <summary>
    /// price: numbers with missing tokens, an overflow and an infinity; id: numbers; colour: categories; flag: booleans;
    /// day: dates; label: many distinct texts; code: numbers until a text near the end; empty: all missing; n: small integers.
    /// </summary>
    private static string MixedCsv(TempDirectory dir)
    {
        var csv = new StringBuilder("price,id,colour,flag,day,label,code,empty,n\n");
        for (var i = 0; i < Rows; i++)
        {
            var price = (i % 11, i % 501) switch
            {
                (0, _) => "NA",
                (_, 7) => "1e400",
                (_, 8) => "-Infinity",
                _ => (Math.Sin(i) * 1e4).ToString("R", CultureInfo.InvariantCulture),
            };
            string[] colours = ["red", "green", "blue", "\"dark, red\""];
            var code = i == Rows - 3 ? "X-1" : (i * 7 % 2003).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture,
                $"{price},{i},{colours[i % 4]},{(i % 3 == 0 ? "TRUE" : "false")},2024-01-{1 + i % 28:00},w{i * 31 % 1777},{code},,{i % 5}\n");
        }
        var path = dir.File("mixed.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static async Task<(DatasetProfile Profile, int Opens)> ScanThenCompleteAsync(
        string path, ProfileOptions options, (string Name, ColumnType Type)? change = null)
    {
        var scan = await DatasetScanner.ScanAsync(path, null, options, null, CancellationToken.None);
        var opens = 0;
        var profile = await DatasetProfiler.ProfileAsync(scan, ct =>
        {
            opens++;
            return TabularReader.OpenAsync(path, DatasetFormat.Csv, null, ct);
        }, Columns(scan, change), options, null, CancellationToken.None);
        return (profile, opens);
    }

    private static async Task<DatasetProfile> ScanThenReadAsync(string path, ProfileOptions options, (string Name, ColumnType Type)? change = null)
    {
        var scan = await DatasetScanner.ScanAsync(path);
        Assert.Null(scan.Profiles);
        using var reader = await TabularReader.OpenAsync(path, DatasetFormat.Csv);
        return await DatasetProfiler.ProfileAsync(reader, ct => TabularReader.OpenAsync(path, DatasetFormat.Csv, null, ct),
            Columns(scan, change), options, null, CancellationToken.None);
    }

    private static List<ProfileColumn> Columns(DatasetScan scan, (string Name, ColumnType Type)? change) =>
        [.. scan.Columns.Select(c => new ProfileColumn(c.Ordinal, c.Name, c.Name == change?.Name ? change.Value.Type : c.InferredType))];

    private static string Json(DatasetProfile profile) => DatasetProfileJson.ToJson(profile);
}
