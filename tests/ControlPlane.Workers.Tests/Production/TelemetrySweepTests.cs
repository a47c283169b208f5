using ControlPlane.Domain.Production;
using ControlPlane.Workers.Production;
using static ControlPlane.Workers.Tests.Production.TelemetryParquet;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>The sweep on real files whose write times the test sets relative to the host's clock.</summary>
public sealed class TelemetrySweepTests
{
    private static readonly DateTime DueHour = new(2026, 1, 15, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Old_unlisted_files_go_while_young_orphans_and_listed_files_stay()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var listed = await host.SegmentAsync(model, DueHour, Predictions(), Rows(10, 1, DueHour));
        var oldOrphan = await OrphanAsync(host, "credit", host.Now.AddDays(-1).AddMinutes(-1));
        var youngOrphan = await OrphanAsync(host, "credit", host.Now.AddHours(-23));
        // What an interrupted put leaves on a file system: a hidden temp file beside the segments.
        var temp = Path.Combine(Path.GetDirectoryName(host.OnDisk(listed.Path))!, ".0123456789abcdef.part");
        await File.WriteAllTextAsync(temp, "half a file");
        File.SetLastWriteTimeUtc(temp, host.Now.AddDays(-3));
        File.SetLastWriteTimeUtc(host.OnDisk(listed.Path), host.Now.AddDays(-30));

        var result = await host.Get<TelemetrySweep>().RunAsync();

        Assert.Equal(new SweepResult(MergedFiles: 0, Orphans: 2), result);
        Assert.Equal(new[] { listed.Path, youngOrphan }.Order(StringComparer.Ordinal), await host.FilesAsync());
        Assert.False(File.Exists(host.OnDisk(oldOrphan)) || File.Exists(temp));
    }

    [Fact]
    public async Task Merged_segments_keep_their_files_for_the_grace_period_then_lose_files_and_rows()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit");
        var (a, b) = (Rows(30, 1, DueHour), Rows(20, 2, DueHour));
        var sources = new[] { await host.SegmentAsync(model, DueHour, Predictions(), a), await host.SegmentAsync(model, DueHour, Predictions(), b) };
        await host.Compaction().RunAsync();
        var merged = Assert.Single(await host.LiveAsync(model.Id));

        // A windows run that listed the sources just before the merge can still read them.
        Assert.Equal(new SweepResult(0, 0), await host.Get<TelemetrySweep>().RunAsync());
        Assert.All(sources, s => Assert.True(File.Exists(host.OnDisk(s.Path))));

        host.Host.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(new SweepResult(2, 0), await host.Get<TelemetrySweep>().RunAsync());

        Assert.Equal([merged.Path], await host.FilesAsync());
        Assert.Equal([merged.Id], (await host.SegmentsAsync(model.Id)).Select(s => s.Id));
        var columns = Predictions().Select(f => f.Name).ToList();
        Assert.Equal(Canonical(a.Concat(b), columns), Canonical(await host.RowsAsync([merged]), columns));
    }

    private static async Task<string> OrphanAsync(TelemetryHost host, string model, DateTime writtenUtc)
    {
        var path = TelemetryPaths.Segment(model, TelemetryKind.Predictions, DueHour, Guid.NewGuid());
        var local = Path.GetTempFileName();
        await File.WriteAllTextAsync(local, "a merged file whose commit never happened");
        await host.Store.PutAsync(path, local, default);
        File.Delete(local);
        File.SetLastWriteTimeUtc(host.OnDisk(path), writtenUtc);
        return path;
    }
}
