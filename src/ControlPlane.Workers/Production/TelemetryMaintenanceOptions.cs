namespace ControlPlane.Workers.Production;

/// <summary>Bound from <c>ControlPlane:Production:Maintenance</c>: how the maintenance job compacts and sweeps telemetry.</summary>
public sealed class TelemetryMaintenanceOptions
{
    public const string Section = "ControlPlane:Production:Maintenance";

    /// <summary>
    /// A file under <c>telemetry/</c> that no index row lists is removed once it is this old: what a crash between
    /// writing a file and committing its row left. Long enough that no write in progress is ever taken.
    /// </summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The files of merged segments stay this long after the merge commits, so a reader (the windows job) that listed
    /// them just before still finds them; then the files go, and their index rows with them.
    /// </summary>
    public TimeSpan MergedFileGracePeriod { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Rows per row group of a compacted file: DuckDB's own row group size, the unit it scans in parallel.</summary>
    public int RowGroupRows { get; set; } = 122_880;
}
