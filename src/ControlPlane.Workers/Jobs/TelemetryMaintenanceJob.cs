using ControlPlane.Workers.Production;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Jobs;

/// <summary>Everything one maintenance run did.</summary>
public sealed record TelemetryMaintenanceResult(RetentionResult Retention, CompactionResult Compaction, SweepResult Sweep);

/// <summary>
/// The recurring upkeep of production telemetry: retention first (no point merging what is about to go), then
/// compaction, then the sweep of merged and orphaned files. Every step is safe to run twice and beside another run.
/// Telemetry is not a governed record, so a run is one structured log line with counts, not audit events.
/// </summary>
public sealed class TelemetryMaintenanceJob(TelemetryExpiry retention, TelemetryCompaction compaction, TelemetrySweep sweep,
    ILogger<TelemetryMaintenanceJob> log)
{
    public const string RecurringJobId = Domain.Schedules.ScheduleId.TelemetryMaintenance;

    public async Task<TelemetryMaintenanceResult> RunAsync(CancellationToken ct)
    {
        var expired = await retention.RunAsync(ct);
        var compacted = await compaction.RunAsync(ct);
        var swept = await sweep.RunAsync(ct);
        log.LogInformation(
            "Telemetry maintenance: retention removed {ExpiredSegments} segments ({ExpiredRows} rows) and {ExpiredWindows} windows; " +
            "compaction merged {MergedSegments} segments ({MergedRows} rows) into {CompactedHours} hours, {LostHours} lost to another worker, {FailedHours} failed; " +
            "the sweep removed {MergedFiles} merged files and {Orphans} orphans.",
            expired.Segments, expired.Rows, expired.Windows, compacted.Segments, compacted.Rows, compacted.Hours, compacted.Lost, compacted.Failed,
            swept.MergedFiles, swept.Orphans);
        if (compacted.Failed > 0)
            throw new InvalidOperationException($"Compaction failed for {compacted.Failed} hour(s); the log names them. Their segments stay live and readable.");
        return new TelemetryMaintenanceResult(expired, compacted, swept);
    }
}
