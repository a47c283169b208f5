using System.Security.Cryptography;
using ControlPlane.Domain.Production;
using ControlPlane.Workers.Production;
using Parquet.Schema;
using static ControlPlane.Workers.Tests.Production.TelemetryParquet;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// Compaction on a real SQLite file and real Parquet files: what the merged file holds is compared with the rows the
/// test generated, read back with Parquet.Net column by column. The host's clock stands at 2026-01-15 09:30:00.12 UTC,
/// so with CompactAfter = 10 minutes the hour 08:00 is due and 09:00 is not.
/// </summary>
public sealed class TelemetryCompactionTests
{
    private static readonly DateTime DueHour = new(2026, 1, 15, 8, 0, 0, DateTimeKind.Utc);
    private static readonly string[] AllColumns = [.. Predictions(withAge: true).Select(f => f.Name)];

    [Fact]
    public async Task An_hours_segments_become_one_level_1_segment_with_every_row_and_value_and_the_sources_point_at_it()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (a, b, c) = (Rows(300, seed: 1, DueHour), Rows(200, seed: 2, DueHour), Rows(1, seed: 3, DueHour));
        b[0][TelemetryColumns.PredictionId] = "p-1-0"; // a repeated prediction: readers dedupe, compaction keeps both
        var sources = new[] { await host.SegmentAsync(model, DueHour, Predictions(), a), await host.SegmentAsync(model, DueHour, Predictions(), b), await host.SegmentAsync(model, DueHour, Predictions(), c) };

        var result = await host.Compaction().RunAsync();

        Assert.Equal(new CompactionResult(Hours: 1, Segments: 3, Rows: 501, Lost: 0, Failed: 0), result);
        var merged = Assert.Single(await host.LiveAsync(model.Id));
        Assert.Equal((1, 501L, DueHour, TelemetryKind.Predictions), (merged.Level, merged.Rows, merged.HourUtc, merged.Kind));
        Assert.Equal(TelemetryPaths.Segment("credit", TelemetryKind.Predictions, DueHour, merged.Id), merged.Path);
        var all = a.Concat(b).Concat(c).ToList();
        Assert.Equal(all.Min(r => (DateTime)r[TelemetryColumns.Timestamp]!), merged.FirstTimestampUtc);
        Assert.Equal(all.Max(r => (DateTime)r[TelemetryColumns.Timestamp]!), merged.LastTimestampUtc);
        var bytes = await File.ReadAllBytesAsync(host.OnDisk(merged.Path));
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length), (merged.Sha256, merged.Size));

        var read = await ReadAsync(host.OnDisk(merged.Path));
        Assert.Equal(Canonical(all, AllColumns), Canonical(read.Rows, AllColumns));
        Assert.Equal(2, read.Rows.Count(r => (string?)r[TelemetryColumns.PredictionId] == "p-1-0"));
        Assert.All(await host.SegmentsAsync(model.Id), s => Assert.Equal(s.Id == merged.Id ? null : merged.Id, s.CompactedIntoId));
        Assert.Equal(sources.Select(s => s.Id).Order(), (await host.SegmentsAsync(model.Id)).Where(s => s.Level == 0).Select(s => s.Id).Order());

        // The columns keep their contract types: required stays required, timestamps stay UTC microseconds.
        Assert.False(read.Schema.DataFields.Single(f => f.Name == TelemetryColumns.PredictionId).IsNullable);
        var ts = Assert.IsType<DateTimeDataField>(read.Schema.DataFields.Single(f => f.Name == TelemetryColumns.Timestamp));
        Assert.Equal((DateTimeFormat.Timestamp, DateTimeTimeUnit.Micros, true, false), (ts.DateTimeFormat, ts.Unit, ts.IsAdjustedToUTC, ts.IsNullable));
        Assert.True(read.Schema.DataFields.Single(f => f.Name == TelemetryColumns.Score).IsNullable);
    }

    [Fact]
    public async Task A_merged_hour_says_it_holds_each_id_once_only_when_no_id_repeats_within_a_variant()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (distinctHour, retriedHour, actualsHour) = (DueHour, DueHour.AddHours(-1), DueHour.AddHours(-2));
        // 08:00: two batches with no id in common, and a shadow that logs a primary's id (same id, other variant).
        var shadow = Rows(1, seed: 1, distinctHour);
        shadow[0][TelemetryColumns.Variant] = "shadow";
        await host.SegmentAsync(model, distinctHour, Predictions(), Rows(300, seed: 1, distinctHour));
        await host.SegmentAsync(model, distinctHour, Predictions(), Rows(200, seed: 2, distinctHour));
        await host.SegmentAsync(model, distinctHour, Predictions(), shadow);
        // 07:00: a batch sent twice (a client's retry): every id twice in one variant. Each file is marked, as ingest
        // marks every batch's file: the sources' marks must not pass to the merge.
        await host.SegmentAsync(model, retriedHour, Predictions(), Rows(50, seed: 3, retriedHour), metadata: DistinctIdsMark.Metadata());
        await host.SegmentAsync(model, retriedHour, Predictions(), Rows(50, seed: 3, retriedHour), metadata: DistinctIdsMark.Metadata());
        // 06:00: files of actuals are never marked, whatever they hold.
        await host.SegmentAsync(model, actualsHour, Predictions(), Rows(20, seed: 4, actualsHour), TelemetryKind.Actuals);
        await host.SegmentAsync(model, actualsHour, Predictions(), Rows(20, seed: 5, actualsHour), TelemetryKind.Actuals);

        Assert.Equal(3, (await host.Compaction().RunAsync()).Hours);

        var merged = (await host.LiveAsync(model.Id)).ToDictionary(s => s.HourUtc);
        Assert.All(merged.Values, s => Assert.Equal(1, s.Level));
        Assert.True(await DistinctIdsMark.IsMarkedAsync(host.OnDisk(merged[distinctHour].Path), CancellationToken.None));
        Assert.False(await DistinctIdsMark.IsMarkedAsync(host.OnDisk(merged[retriedHour].Path), CancellationToken.None));
        Assert.False(await DistinctIdsMark.IsMarkedAsync(host.OnDisk(merged[actualsHour].Path), CancellationToken.None));
        Assert.Equal(100, (await ReadAsync(host.OnDisk(merged[retriedHour].Path))).Rows.Count); // kept: readers deduplicate
    }

    [Fact]
    public async Task A_segment_with_an_extra_feature_merges_with_nulls_for_the_rows_that_lacked_it()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var before = Rows(50, seed: 1, DueHour);
        var after = Rows(40, seed: 2, DueHour, withAge: true); // the model's next version reads one more feature
        var s1 = await host.SegmentAsync(model, DueHour, Predictions(), before);
        SameRows(Canonical(before, AllColumns.Where(c => c != Age.Name)), Canonical((await ReadAsync(host.OnDisk(s1.Path))).Rows, AllColumns.Where(c => c != Age.Name)));
        var s2 = await host.SegmentAsync(model, DueHour, Predictions(withAge: true), after);
        SameRows(Canonical(after, AllColumns), Canonical((await ReadAsync(host.OnDisk(s2.Path))).Rows, AllColumns));

        await host.Compaction().RunAsync();

        var read = await ReadAsync(host.OnDisk(Assert.Single(await host.LiveAsync(model.Id)).Path));
        Assert.Equal(AllColumns, read.Schema.DataFields.Select(f => f.Name));
        var age = read.Schema.DataFields.Single(f => f.Name == Age.Name);
        Assert.Equal((typeof(double), true), (age.ClrType, age.IsNullable));
        Assert.Equal(50 + 10, read.Rows.Count(r => r[Age.Name] is null)); // the first segment's 50, and every 4th of the 40
        SameRows(Canonical(before.Concat(after), AllColumns), Canonical(read.Rows, AllColumns));
    }

    [Fact]
    public async Task Small_segments_are_gathered_into_row_groups_of_the_configured_size()
    {
        await using var host = await TelemetryHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Production:Maintenance:RowGroupRows"] = "250" });
        var model = await host.ModelAsync("credit");
        for (var seed = 0; seed < 5; seed++)
            await host.SegmentAsync(model, DueHour, Predictions(), Rows(100, seed, DueHour));

        await host.Compaction().RunAsync();

        // 100 + 100 fit in 250, a third would not: groups of 200, 200 and the last 100.
        Assert.Equal([200L, 200L, 100L], (await ReadAsync(host.OnDisk(Assert.Single(await host.LiveAsync(model.Id)).Path))).RowGroups);
    }

    [Fact]
    public async Task An_hour_too_young_and_an_hour_with_one_segment_are_left_alone()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var young = DueHour.AddHours(1); // 09:00, still being written to
        await host.SegmentAsync(model, young, Predictions(), Rows(10, 1, young));
        await host.SegmentAsync(model, young, Predictions(), Rows(10, 2, young));
        await host.SegmentAsync(model, DueHour, Predictions(), Rows(10, 3, DueHour));
        var files = await host.FilesAsync();

        var result = await host.Compaction().RunAsync();

        Assert.Equal(new CompactionResult(0, 0, 0, 0, 0), result);
        Assert.Equal(3, (await host.LiveAsync(model.Id)).Count(s => s.Level == 0));
        Assert.Equal(files, await host.FilesAsync());
    }

    [Fact]
    public async Task A_crash_between_storing_the_merged_file_and_the_commit_loses_nothing_and_counts_nothing_twice()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (a, b) = (Rows(30, 1, DueHour), Rows(20, 2, DueHour));
        var sources = new[] { await host.SegmentAsync(model, DueHour, Predictions(), a), await host.SegmentAsync(model, DueHour, Predictions(), b) };
        var crashing = new StoreFaults(host.Store, _ => throw new IOException("the process died here"));

        var result = await host.Compaction(crashing).RunAsync();

        Assert.Equal(1, result.Failed);
        var live = await host.LiveAsync(model.Id);
        Assert.Equal(sources.Select(s => s.Id).Order(), live.Select(s => s.Id).Order());
        Assert.Equal(50, live.Sum(s => s.Rows));
        Assert.Equal(Canonical(a.Concat(b), AllColumns), Canonical(await host.RowsAsync(live), AllColumns));
        var orphan = Assert.Single(crashing.Puts);
        Assert.Contains(orphan, await host.FilesAsync()); // stored, but no row lists it: the sweep's

        // A day later the sweep takes the orphan and nothing listed; the next compaction then succeeds.
        foreach (var path in sources.Select(s => s.Path).Append(orphan))
            File.SetLastWriteTimeUtc(host.OnDisk(path), host.Now.AddDays(-2));
        Assert.Equal(1, (await host.Get<TelemetrySweep>().RunAsync()).Orphans);
        Assert.Equal(sources.Select(s => s.Path).Order(StringComparer.Ordinal), await host.FilesAsync());
        Assert.Equal(1, (await host.Compaction().RunAsync()).Hours);
        Assert.Equal(Canonical(a.Concat(b), AllColumns), Canonical(await host.RowsAsync(await host.LiveAsync(model.Id)), AllColumns));
    }

    [Fact]
    public async Task Two_workers_compacting_one_hour_at_once_leave_exactly_one_live_level_1_segment()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (a, b, c) = (Rows(30, 1, DueHour), Rows(20, 2, DueHour), Rows(10, 3, DueHour));
        foreach (var rows in new[] { a, b, c })
            await host.SegmentAsync(model, DueHour, Predictions(), rows);
        // Both have stored their merged file before either commits: the race is decided by the database alone.
        var meeting = new Meeting();
        var (first, second) = (new StoreFaults(host.Store, _ => meeting.ArriveAsync()), new StoreFaults(host.Store, _ => meeting.ArriveAsync()));

        var results = await Task.WhenAll(Task.Run(() => host.Compaction(first).RunAsync()), Task.Run(() => host.Compaction(second).RunAsync()));

        Assert.Equal([0, 1], results.Select(r => r.Hours).Order());
        Assert.Equal([0, 1], results.Select(r => r.Lost).Order());
        var merged = Assert.Single(await host.LiveAsync(model.Id));
        Assert.Equal((1, 60L), (merged.Level, merged.Rows));
        Assert.Equal(3, (await host.SegmentsAsync(model.Id)).Count(s => s.CompactedIntoId == merged.Id));
        Assert.Equal(Canonical(a.Concat(b).Concat(c), AllColumns), Canonical(await host.RowsAsync([merged]), AllColumns));
        // The loser removed its own file: the store holds the three sources and the winner's file only.
        var loser = first.Puts.Concat(second.Puts).Single(p => p != merged.Path);
        Assert.DoesNotContain(loser, await host.FilesAsync());
        Assert.Equal(4, (await host.FilesAsync()).Count);
    }

    [Fact]
    public async Task A_late_segment_is_merged_with_the_hours_level_1_segment_on_the_next_run()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (a, b, late) = (Rows(30, 1, DueHour), Rows(20, 2, DueHour), Rows(5, 3, DueHour));
        await host.SegmentAsync(model, DueHour, Predictions(), a);
        await host.SegmentAsync(model, DueHour, Predictions(), b);
        await host.Compaction().RunAsync();
        var first = Assert.Single(await host.LiveAsync(model.Id));

        await host.SegmentAsync(model, DueHour, Predictions(), late);
        Assert.Equal((1, 2, 55L), (await host.Compaction().RunAsync()) is var r ? (r.Hours, r.Segments, r.Rows) : default);

        var second = Assert.Single(await host.LiveAsync(model.Id));
        Assert.Equal((1, 55L), (second.Level, second.Rows));
        Assert.Equal(second.Id, (await host.SegmentsAsync(model.Id)).Single(s => s.Id == first.Id).CompactedIntoId);
        Assert.Equal(Canonical(a.Concat(b).Concat(late), AllColumns), Canonical(await host.RowsAsync([second]), AllColumns));
    }

    [Fact]
    public async Task A_damaged_segment_or_a_column_whose_type_changed_stops_only_its_own_hour()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (damagedHour, mixedHour, goodHour) = (DueHour.AddHours(-3), DueHour.AddHours(-2), DueHour.AddHours(-1));
        var damaged = await host.SegmentAsync(model, damagedHour, Predictions(), Rows(10, 1, damagedHour));
        await host.SegmentAsync(model, damagedHour, Predictions(), Rows(10, 2, damagedHour));
        await WriteAsync(host.OnDisk(damaged.Path), Predictions(), Rows(10, 9, damagedHour)); // valid Parquet, other rows
        var regionAsNumber = Predictions().Select(f => f.Name == Region.Name ? new DataField<double?>(Region.Name) : f).ToList();
        await host.SegmentAsync(model, mixedHour, Predictions(), Rows(10, 3, mixedHour));
        await host.SegmentAsync(model, mixedHour, regionAsNumber, Rows(10, 4, mixedHour).Select(r => { r[Region.Name] = 1.0; return r; }).ToList());
        await host.SegmentAsync(model, goodHour, Predictions(), Rows(10, 5, goodHour));
        await host.SegmentAsync(model, goodHour, Predictions(), Rows(10, 6, goodHour));

        var result = await host.Compaction().RunAsync();

        Assert.Equal((1, 2), (result.Hours, result.Failed));
        var live = await host.LiveAsync(model.Id);
        Assert.Equal(2, live.Count(s => s.HourUtc == damagedHour && s.Level == 0));
        Assert.Equal(2, live.Count(s => s.HourUtc == mixedHour && s.Level == 0));
        Assert.Equal(1, Assert.Single(live, s => s.HourUtc == goodHour).Level);
    }
}
