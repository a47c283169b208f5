using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Production;
using static ControlPlane.Workers.Tests.Production.TelemetryParquet;

namespace ControlPlane.Workers.Tests.Production;

public sealed class TelemetryMaintenanceJobTests
{
    private static readonly DateTime DueHour = new(2026, 1, 15, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_second_run_finds_nothing_left_to_do_and_a_cancelled_run_changes_nothing()
    {
        await using var host = await TelemetryHost.StartAsync();
        var model = await host.ModelAsync("credit", retentionDays: 1);
        var old = DueHour.AddDays(-2);
        await host.SegmentAsync(model, old, Predictions(), Rows(10, 1, old));
        await host.SegmentAsync(model, DueHour, Predictions(), Rows(10, 2, DueHour));
        await host.SegmentAsync(model, DueHour, Predictions(), Rows(10, 3, DueHour));
        var job = host.Get<TelemetryMaintenanceJob>();

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.RunAsync(cancelled.Token));
        Assert.Equal(3, (await host.LiveAsync(model.Id)).Count);

        var first = await job.RunAsync(default);
        Assert.Equal((1, 1, 2), (first.Retention.Segments, first.Compaction.Hours, first.Compaction.Segments));

        var second = await job.RunAsync(default);
        Assert.Equal(new TelemetryMaintenanceResult(new RetentionResult(0, 0, 0), new CompactionResult(0, 0, 0, 0, 0), new SweepResult(0, 0)), second);
        Assert.Equal(1, Assert.Single(await host.LiveAsync(model.Id)).Level);
    }
}
