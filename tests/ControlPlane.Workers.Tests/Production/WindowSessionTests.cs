using ControlPlane.Workers.Production;
using DuckDB.NET.Data;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// Windows computed one after another in one session hold the actuals files they read; each window must still see
/// exactly its own actuals files, as if it had read them alone.
/// </summary>
public sealed class WindowSessionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"window-session-{Guid.NewGuid():N}");

    public WindowSessionTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Each_window_joins_only_its_own_actuals_files_even_when_the_session_holds_others()
    {
        // p1 and p2 predicted at 08:00; "early" says p1 is "yes" (received 09:00); "late" says p1 is "no" (received
        // 10:00, so it wins where both are read) and p2 is "yes".
        var predictions = await ParquetAsync("predictions.parquet", """
            SELECT * FROM (VALUES
                ('p1', TIMESTAMPTZ '2026-12-07 08:10:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'champion', 'primary', 0.9::DOUBLE, 5.0::DOUBLE, 1.5::DOUBLE),
                ('p2', TIMESTAMPTZ '2026-12-07 08:20:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'champion', 'primary', 0.2::DOUBLE, 7.0::DOUBLE, 2.5::DOUBLE))
            t(prediction_id, ts, received_at, version, alias, variant, score, latency_ms, f_x)
            """);
        var early = await ParquetAsync("early.parquet", """
            SELECT * FROM (VALUES ('p1', TIMESTAMPTZ '2026-12-07 08:50:00+00', TIMESTAMPTZ '2026-12-07 09:00:00+00', 'yes', NULL::DOUBLE))
            t(prediction_id, ts, received_at, actual, actual_value)
            """);
        var late = await ParquetAsync("late.parquet", """
            SELECT * FROM (VALUES
                ('p1', TIMESTAMPTZ '2026-12-07 09:50:00+00', TIMESTAMPTZ '2026-12-07 10:00:00+00', 'no', NULL::DOUBLE),
                ('p2', TIMESTAMPTZ '2026-12-07 09:55:00+00', TIMESTAMPTZ '2026-12-07 10:00:00+00', 'yes', NULL::DOUBLE))
            t(prediction_id, ts, received_at, actual, actual_value)
            """);

        await using var session = await WindowSession.OpenAsync("256MB", CancellationToken.None);
        Assert.Equal(new[] { "p1 no", "p2 yes" }, await ActualsAsync(session, predictions, [early, late]));
        Assert.Equal(new[] { "p1 yes" }, await ActualsAsync(session, predictions, [early]));
        Assert.Equal(new[] { "p1 no", "p2 yes" }, await ActualsAsync(session, predictions, [late]));
        Assert.Empty(await ActualsAsync(session, predictions, []));
        Assert.Equal(new[] { "p1 yes" }, await ActualsAsync(session, predictions, [early]));
    }

    [Fact]
    public async Task A_second_window_cannot_open_while_the_first_is_open()
    {
        var predictions = await ParquetAsync("one.parquet", """
            SELECT * FROM (VALUES ('p1', TIMESTAMPTZ '2026-12-07 08:10:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'champion', 'primary'))
            t(prediction_id, ts, received_at, version, alias, variant)
            """);
        await using var session = await WindowSession.OpenAsync("256MB", CancellationToken.None);
        await using var first = await session.WindowAsync([predictions], [], TelemetryFilter.ForAlias("champion"), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.WindowAsync([predictions], [], TelemetryFilter.ForAlias("champion"), CancellationToken.None));
    }

    /// <summary>The window's labelled rows as "id actual", by id: the score tells the rows apart (0.9 is p1, 0.2 is p2).</summary>
    private static async Task<string[]> ActualsAsync(WindowSession session, string predictions, string[] actuals)
    {
        await using var window = await session.WindowAsync([predictions], actuals, TelemetryFilter.ForAlias("champion"), CancellationToken.None);
        var figures = await window.AggregatesAsync(0.5, CancellationToken.None);
        Assert.Equal(2, figures.Predictions);
        var rows = await window.LabelledAsync(figures.Labelled, 100, CancellationToken.None);
        return [.. rows.Select(r => $"{(r.Score > 0.5 ? "p1" : "p2")} {r.Actual}").Order(StringComparer.Ordinal)];
    }

    private async Task<string> ParquetAsync(string name, string select)
    {
        var path = Path.Combine(_directory, name);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; COPY ({select}) TO '{path}' (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
        return path;
    }
}
