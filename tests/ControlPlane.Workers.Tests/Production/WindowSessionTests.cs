using ControlPlane.Domain.Production;
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
    public async Task A_window_of_one_marked_file_is_read_directly_with_the_same_figures_and_two_marked_files_are_still_deduplicated()
    {
        var marked = await ParquetAsync("marked.parquet", """
            SELECT * FROM (VALUES
                ('p1', TIMESTAMPTZ '2026-12-07 08:10:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'champion', 'primary', 0.9::DOUBLE, 5.0::DOUBLE, 1.5::DOUBLE),
                ('p2', TIMESTAMPTZ '2026-12-07 08:20:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'champion', 'primary', 0.2::DOUBLE, 7.0::DOUBLE, NULL::DOUBLE),
                ('p3', TIMESTAMPTZ '2026-12-07 08:25:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'champion', 'primary', 0.6::DOUBLE, 9.0::DOUBLE, 3.5::DOUBLE),
                ('p4', TIMESTAMPTZ '2026-12-07 08:26:00+00', TIMESTAMPTZ '2026-12-07 08:30:00+00', 1, 'other', 'primary', 0.6::DOUBLE, 90.0::DOUBLE, 3.5::DOUBLE))
            t(prediction_id, ts, received_at, version, alias, variant, score, latency_ms, f_x)
            """, distinctMark: true);
        // The same record again later (a retried batch), in a file that is itself distinct: across the two files p1 repeats.
        var retry = await ParquetAsync("retry.parquet", """
            SELECT * FROM (VALUES ('p1', TIMESTAMPTZ '2026-12-07 08:10:00+00', TIMESTAMPTZ '2026-12-07 08:40:00+00', 1, 'champion', 'primary', 0.9::DOUBLE, 100.0::DOUBLE, 1.5::DOUBLE))
            t(prediction_id, ts, received_at, version, alias, variant, score, latency_ms, f_x)
            """, distinctMark: true);
        var actuals = await ParquetAsync("actuals.parquet", """
            SELECT * FROM (VALUES ('p1', TIMESTAMPTZ '2026-12-07 08:50:00+00', TIMESTAMPTZ '2026-12-07 09:00:00+00', 'yes', NULL::DOUBLE))
            t(prediction_id, ts, received_at, actual, actual_value)
            """);
        var champion = TelemetryFilter.ForAlias("champion");

        await using var session = await WindowSession.OpenAsync("256MB", CancellationToken.None);
        await using var distrusting = await WindowSession.OpenAsync("256MB", CancellationToken.None, trustDistinctMarks: false);
        var samples = new List<string>();
        foreach (var (s, direct) in new[] { (session, true), (distrusting, false) })
        {
            await using var window = await s.WindowAsync([marked], [actuals], champion, CancellationToken.None);
            Assert.Equal(direct, window.ReadDirectly);
            var f = await window.AggregatesAsync(0.5, CancellationToken.None);
            // Latency 5, 7 and 9 ms (p4 is another alias's): mean 7; quantiles by linear interpolation at (n − 1)·q.
            Assert.Equal((3L, 7.0, 7.0, 8.8, 8.96), (f.Predictions, f.LatencyMean!.Value, f.LatencyP50!.Value, Math.Round(f.LatencyP95!.Value, 12), Math.Round(f.LatencyP99!.Value, 12)));
            Assert.Equal((1L, 3L, 1L), (f.Labelled, f.Scored, f.Missing["x"]));
            Assert.Equal("yes", Assert.Single(await window.LabelledAsync(f.Labelled, 10, CancellationToken.None)).Actual);
            Assert.Equal(3, Assert.Single(await window.ServedAsync(CancellationToken.None)).Rows);
            var sample = await window.SampleAsync(window.Features, "score", f.Predictions, 10, CancellationToken.None);
            samples.Add(string.Join(" ", sample.Numbers["x"].Order().Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        Assert.Equal(["NaN 1.5 3.5", "NaN 1.5 3.5"], samples);

        await using var both = await session.WindowAsync([marked, retry], [actuals], champion, CancellationToken.None);
        Assert.False(both.ReadDirectly);
        var deduplicated = await both.AggregatesAsync(0.5, CancellationToken.None);
        Assert.Equal((3L, 7.0, 1L), (deduplicated.Predictions, deduplicated.LatencyMean!.Value, deduplicated.Labelled)); // p1's first received row only
    }

    [Fact]
    public async Task A_large_window_samples_about_the_configured_rows_by_id_hash_the_same_rows_every_time_and_without_bias()
    {
        // 4,000 predictions whose feature is their number 0 … 3,999.
        var file = await ParquetAsync("many.parquet", """
            SELECT 'p' || i AS prediction_id, TIMESTAMPTZ '2026-12-07 08:00:00+00' AS ts, TIMESTAMPTZ '2026-12-07 08:30:00+00' AS received_at, 1 AS version,
                'champion' AS alias, 'primary' AS variant, i::DOUBLE AS f_x
            FROM range(4000) t(i)
            """, distinctMark: true);
        await using var session = await WindowSession.OpenAsync("256MB", CancellationToken.None);
        var drawn = new List<double[]>();
        for (var run = 0; run < 2; run++)
        {
            await using var window = await session.WindowAsync([file], [], TelemetryFilter.ForAlias("champion"), CancellationToken.None);
            var sample = await window.SampleAsync(window.Features, null, 4000, 1000, CancellationToken.None);
            Assert.True(sample.Sampled);
            drawn.Add([.. sample.Numbers["x"].Order()]);
            Assert.Equal(sample.Rows, sample.Numbers["x"].Length);
        }
        Assert.Equal(drawn[0], drawn[1]);
        // Each row is in with probability 1/4: the count is Binomial(4000, 1/4) (sd 27.4) and the mean of the drawn
        // numbers is 1,999.5 with sd ≈ 1,155 / √1000 ≈ 36.5; both within five sd.
        Assert.InRange(drawn[0].Length, 1000 - 137, 1000 + 137);
        Assert.InRange(drawn[0].Average(), 1999.5 - 183, 1999.5 + 183);
        Assert.Equal(drawn[0].Length, drawn[0].Distinct().Count());

        await using var whole = await session.WindowAsync([file], [], TelemetryFilter.ForAlias("champion"), CancellationToken.None);
        var all = await whole.SampleAsync(whole.Features, null, 4000, 4000, CancellationToken.None);
        Assert.Equal((false, 4000), (all.Sampled, all.Rows));
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

    private async Task<string> ParquetAsync(string name, string select, bool distinctMark = false)
    {
        var path = Path.Combine(_directory, name);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var metadata = distinctMark ? $", KV_METADATA {{'{DistinctIdsMark.Key}': '{DistinctIdsMark.Yes}'}}" : "";
        command.CommandText = $"SET TimeZone = 'UTC'; COPY ({select}) TO '{path}' (FORMAT parquet{metadata})";
        await command.ExecuteNonQueryAsync();
        return path;
    }
}
