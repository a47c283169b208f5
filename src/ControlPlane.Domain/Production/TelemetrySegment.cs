namespace ControlPlane.Domain.Production;

/// <summary>
/// The index row of one Parquet file of telemetry in the telemetry store: the rows themselves never enter the app
/// database. A segment holds the records of one model, kind and hour (by record timestamp). Ingest writes level-0
/// segments, one per batch and hour; compaction merges an hour's small segments into one level-1 segment and points
/// the merged ones at it (<see cref="CompactedIntoId"/>), so readers take only the live ones.
/// </summary>
public sealed class TelemetrySegment
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    public TelemetryKind Kind { get; set; }
    /// <summary>The hour (UTC, on the hour) that every record's timestamp falls in.</summary>
    public DateTime HourUtc { get; set; }
    public DateTime FirstTimestampUtc { get; set; }
    public DateTime LastTimestampUtc { get; set; }
    public long Rows { get; set; }
    /// <summary>Where the file is in the telemetry store (see <see cref="TelemetryPaths"/>).</summary>
    public required string Path { get; set; }
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    /// <summary>0: written by one ingest batch; 1: merged by compaction.</summary>
    public int Level { get; set; }
    /// <summary>When the row committed: windows computed before it are recomputed (late data).</summary>
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>The segment this one was merged into; null while the segment is live.</summary>
    public Guid? CompactedIntoId { get; set; }
}
