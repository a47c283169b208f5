using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Production;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.Workers.Tests.Production.TelemetryParquet;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// Retention on the host's clock, 2026-01-15 09:30:00.12 UTC. A model kept 7 days loses the hours that ended by
/// 2026-01-08 09:30:00.12 (08:00–09:00 goes, 09:00–10:00 stays); a model on the default 183 days loses those that ended
/// by 2025-07-16 09:30:00.12. The boundaries below are worked out by hand from those two instants.
/// </summary>
public sealed class TelemetryExpiryTests
{
    private static DateTime At(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Exactly_the_hours_and_windows_past_each_models_retention_are_removed_index_rows_and_files()
    {
        await using var host = await TelemetryHost.StartAsync();
        var week = await host.ModelAsync("week", retentionDays: 7);
        var standard = await host.ModelAsync("standard");
        async Task<TelemetrySegment> Segment(RegisteredModel model, DateTime hour, int seed) => await host.SegmentAsync(model, hour, Predictions(), Rows(10, seed, hour));

        var gone = new List<TelemetrySegment>
        {
            await Segment(week, At(2026, 1, 1, 0), 1),
            await Segment(week, At(2026, 1, 8, 8), 2),
            await Segment(standard, At(2025, 7, 16, 8), 3),
        };
        var kept = new List<TelemetrySegment>
        {
            await Segment(week, At(2026, 1, 8, 9), 4),
            await Segment(week, At(2026, 1, 15, 8), 5),
            await Segment(standard, At(2025, 7, 16, 9), 6),
            await Segment(standard, At(2026, 1, 1, 0), 7),
        };
        // An old hour that was compacted: its level-1 segment and both merged sources go together.
        gone.Add(await Segment(week, At(2026, 1, 7, 10), 8));
        gone.Add(await Segment(week, At(2026, 1, 7, 10), 9));
        await host.Compaction().RunAsync();
        gone.Add((await host.LiveAsync(week.Id)).Single(s => s.Level == 1));

        var weekMonitor = await MonitorAsync(host, week);
        var standardMonitor = await MonitorAsync(host, standard);
        var goneWindow = await WindowAsync(host, weekMonitor, At(2026, 1, 7, 9), At(2026, 1, 8, 9));
        var keptWindows = new[]
        {
            await WindowAsync(host, weekMonitor, At(2026, 1, 8, 9), At(2026, 1, 8, 10)),
            await WindowAsync(host, standardMonitor, At(2026, 1, 7, 9), At(2026, 1, 8, 9)),
        };

        var result = await host.Get<TelemetryExpiry>().RunAsync();

        Assert.Equal(new RetentionResult(Segments: 6, Rows: 10 + 10 + 10 + 20, Windows: 1), result);
        var remaining = (await host.SegmentsAsync(week.Id)).Concat(await host.SegmentsAsync(standard.Id)).Select(s => s.Id).Order();
        Assert.Equal(kept.Select(s => s.Id).Order(), remaining);
        Assert.Equal(kept.Select(s => s.Path).Order(StringComparer.Ordinal), await host.FilesAsync());
        Assert.All(gone, s => Assert.False(File.Exists(host.OnDisk(s.Path))));
        await using var db = await host.DbAsync();
        Assert.Equal(keptWindows.Order(), (await db.ProductionWindows.Select(w => w.Id).ToListAsync()).Order());
        Assert.DoesNotContain(goneWindow, await db.ProductionWindows.Select(w => w.Id).ToListAsync());

        // Run again: nothing more is past retention.
        Assert.Equal(new RetentionResult(0, 0, 0), await host.Get<TelemetryExpiry>().RunAsync());
    }

    private static async Task<Guid> MonitorAsync(TelemetryHost host, RegisteredModel model)
    {
        var monitor = new ProductionMonitor
        {
            Id = Guid.NewGuid(), ModelId = model.Id, Name = $"{model.Name}-live", NormalizedName = $"{model.Name}-live".ToUpperInvariant(),
            TargetValue = "production", Settings = "{}", Owner = "dana", CreatedAtUtc = host.Now, UpdatedAtUtc = host.Now,
        };
        await using var db = await host.DbAsync();
        db.Add(monitor);
        await db.SaveChangesAsync();
        return monitor.Id;
    }

    private static async Task<Guid> WindowAsync(TelemetryHost host, Guid monitor, DateTime start, DateTime end)
    {
        var window = new ProductionWindow { Id = Guid.NewGuid(), MonitorId = monitor, StartUtc = start, EndUtc = end, ComputedAtUtc = host.Now, Results = "{}", InputsStamp = "" };
        await using var db = await host.DbAsync();
        db.Add(window);
        await db.SaveChangesAsync();
        return window.Id;
    }
}
