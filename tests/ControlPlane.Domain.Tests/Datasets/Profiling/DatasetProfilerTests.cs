using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>The pass over the reader: which columns, how many rows, progress and cancellation.</summary>
public sealed class DatasetProfilerTests
{
    private static InMemoryTabularReader Mixed(int maxRowsPerRead = int.MaxValue) => new(
        ("id", new double[] { 1, 2, 3, 4, 5 }),
        ("colour", new string?[] { "red", null, "blue", "red", "red" }),
        ("when", new string?[] { "2024-01-02", "2024-01-01", null, "x", "2024-01-03" }),
        ("flag", new string?[] { "true", "false", "true", null, null }))
    { MaxRowsPerRead = maxRowsPerRead };

    [Fact]
    public async Task Profiles_the_requested_columns_in_the_requested_order()
    {
        using var reader = Mixed(maxRowsPerRead: 2);
        ProfileColumn[] columns =
        [
            new(3, "Flag", ColumnType.Boolean),
            new(0, "Id", ColumnType.Numerical),
            new(2, "When", ColumnType.DateTime),
            new(1, "Colour", ColumnType.Categorical),
        ];

        var profile = await DatasetProfiler.ProfileAsync(reader, columns, new ProfileOptions { BatchSize = 3 }, null, CancellationToken.None);

        Assert.Equal(5, profile.RowCount);
        Assert.Equal(["Flag", "Id", "When", "Colour"], profile.Columns.Select(c => c.Name));
        Assert.All(profile.Columns, c => Assert.Equal(profile.RowCount, c.Count + c.MissingCount));
        Assert.Equal(3.0, profile.Columns[1].Numeric!.Mean);
        Assert.Equal(new CategoryCount("red", 3), profile.Columns[3].Categories!.Top[0]);
        Assert.Equal(new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc), profile.Columns[2].Dates!.Max);
        Assert.Equal(2, profile.Columns[0].MissingCount);
        Assert.Null(profile.Columns[0].Numeric);
        Assert.Null(profile.Columns[1].Categories);
    }

    [Fact]
    public async Task An_empty_file_has_no_rows()
    {
        using var reader = new InMemoryTabularReader(("x", Array.Empty<double>()), ("c", Array.Empty<string?>()));

        var profile = await DatasetProfiler.ProfileAsync(reader,
            [new ProfileColumn(0, "x", ColumnType.Numerical), new ProfileColumn(1, "c", ColumnType.Text)], ProfileOptions.Default, null, CancellationToken.None);

        Assert.Equal(0, profile.RowCount);
        Assert.Null(profile.Columns[0].Numeric);
        Assert.Empty(profile.Columns[1].Categories!.Top);
    }

    [Fact]
    public async Task Progress_rises_to_one()
    {
        using var reader = new InMemoryTabularReader(("x", ProfileTestData.Formula()));
        var progress = new RecordingProgress();

        await DatasetProfiler.ProfileAsync(reader, [new ProfileColumn(0, "x", ColumnType.Numerical)], new ProfileOptions { BatchSize = 1000 }, progress, CancellationToken.None);

        Assert.True(progress.Values.Count >= 11);
        Assert.Equal(progress.Values.Order(), progress.Values);
        Assert.Equal(0.1, progress.Values[0], 1e-3);
        Assert.Equal(1.0, progress.Values[^1]);
    }

    [Fact]
    public async Task Progress_never_goes_back_when_a_second_pass_is_needed()
    {
        var values = ProfileTestData.Large();
        using var reader = new InMemoryTabularReader(("x", values));
        var progress = new RecordingProgress();
        var options = new ProfileOptions { MaxHeldValues = 30_000, SampleSize = 1000, BatchSize = 10_000 };

        await DatasetProfiler.ProfileAsync(reader, _ => Task.FromResult<ITabularReader>(new InMemoryTabularReader(("x", values))), [new ProfileColumn(0, "x", ColumnType.Numerical)], options, progress, CancellationToken.None);

        // Three batches fit; the fourth starts sampling at 0.3, then the rest of both passes share the remaining 0.7:
        // ten reports on the first pass (the last at 0.65), nine below one on the second.
        Assert.Equal([0.1, 0.2, 0.3], progress.Values.Take(3), new ToleranceComparer(1e-12));
        Assert.Equal(0.35, progress.Values[3], 1e-12);
        Assert.Equal(progress.Values.Order(), progress.Values);
        Assert.Equal(0.65, progress.Values[9], 1e-12);
        Assert.Equal(19, progress.Values.Count(v => v < 1));
        Assert.Equal(1.0, progress.Values[^1]);
    }

    [Fact]
    public async Task Cancellation_stops_the_pass()
    {
        using var cts = new CancellationTokenSource();
        using var reader = new InMemoryTabularReader(("x", ProfileTestData.Formula()));
        var progress = new RecordingProgress(_ => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DatasetProfiler.ProfileAsync(reader, [new ProfileColumn(0, "x", ColumnType.Numerical)], new ProfileOptions { BatchSize = 100 }, progress, cts.Token));

        Assert.Single(progress.Values);
        Assert.True(reader.Progress < 0.05);
    }

    [Fact]
    public async Task Options_out_of_range_are_refused()
    {
        using var reader = Mixed();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            DatasetProfiler.ProfileAsync(reader, [], new ProfileOptions { SampleSize = 0 }, null, CancellationToken.None));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
