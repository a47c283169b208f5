namespace ControlPlane.Domain.Datasets;

/// <summary>
/// One immutable file of a dataset (content-addressed by SHA-256). Its schema (types and roles) may be edited;
/// its profile is derived from the file and the schema, and recomputed when the schema changes.
/// </summary>
public sealed class DatasetVersion
{
    public Guid Id { get; set; }
    public Guid DatasetId { get; set; }
    public Dataset? Dataset { get; set; }
    public int Number { get; set; }
    public DatasetFormat Format { get; set; }
    public required string FileSha256 { get; set; }
    public long SizeBytes { get; set; }
    public required string FileName { get; set; }
    public long RowCount { get; set; }
    public string? SourceNote { get; set; }
    /// <summary>JSON array of <see cref="DatasetColumn"/>.</summary>
    public required string Schema { get; set; }
    public ProfileStatus ProfileStatus { get; set; }
    /// <summary>JSON of <see cref="Profiling.DatasetProfile"/> once computed; not audited (derived data).</summary>
    public string? Profile { get; set; }
    /// <summary>Fraction done while the profile job runs; not audited.</summary>
    public double ProfileProgress { get; set; }
    public string? ProfileError { get; set; }
    public DateTime? ProfiledAtUtc { get; set; }
    /// <summary>Identifies the profile computation a job must complete; a job holding another id is stale and stops.</summary>
    public Guid ProfileRunId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
