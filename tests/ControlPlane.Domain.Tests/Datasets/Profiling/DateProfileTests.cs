using ControlPlane.Domain.Datasets;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

public sealed class DateProfileTests
{
    [Fact]
    public async Task Dates_are_compared_in_utc_and_text_that_does_not_parse_is_invalid()
    {
        string?[] cells =
        [
            "2024-03-01T10:00:00Z",
            "2024-03-01T12:00:00+05:00", // 07:00 UTC
            "2023-12-31",                // no offset: taken as UTC
            "not a date",
            null,
            "2024-02-29T23:59:59.1234567Z",
            "2024-03-01T03:30:00-08:00", // 11:30 UTC, the latest
        ];

        var column = await ProfileTestData.ProfileOneAsync(cells, ColumnType.DateTime, maxRowsPerRead: 3);

        Assert.Equal(5, column.Count);
        Assert.Equal(2, column.MissingCount);
        Assert.Equal(1, column.InvalidCount);
        var dates = column.Dates!;
        Assert.Equal(new DateTime(2023, 12, 31, 0, 0, 0, DateTimeKind.Utc), dates.Min);
        Assert.Equal(new DateTime(2024, 3, 1, 11, 30, 0, DateTimeKind.Utc), dates.Max);
        Assert.Equal(DateTimeKind.Utc, dates.Min!.Value.Kind);
        Assert.Equal(DateTimeKind.Utc, dates.Max!.Value.Kind);
    }

    [Fact]
    public async Task A_column_without_dates_has_no_extremes()
    {
        var column = await ProfileTestData.ProfileOneAsync(new string?[] { null, "soon" }, ColumnType.DateTime);

        Assert.Equal(0, column.Count);
        Assert.Null(column.Dates!.Min);
        Assert.Null(column.Dates.Max);
    }
}
