namespace ControlPlane.Domain.Registry;

/// <summary>A named model; its versions are immutable, its description and tags are not.</summary>
public sealed class RegisteredModel : Common.INamedResource
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Upper-case invariant name: names are unique case-insensitively on every provider.</summary>
    public required string NormalizedName { get; set; }
    public string? Description { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    /// <summary>The number the last registered version got; bumped under <see cref="ConcurrencyStamp"/> so numbers have no gaps.</summary>
    public int LatestVersionNumber { get; set; }
    public Guid ConcurrencyStamp { get; set; }
    /// <summary>A reviewer put the model on hold: its schedules skip their runs and no promotion proceeds until it is released.</summary>
    public bool OnHold { get; set; }
    public string? HoldReason { get; set; }
    public string? HoldChangedBy { get; set; }
    public DateTime? HoldChangedAtUtc { get; set; }
    /// <summary>Days its production telemetry is kept; null keeps the server's default (<c>ControlPlane:Production:DefaultRetentionDays</c>).</summary>
    public int? TelemetryRetentionDays { get; set; }
    public List<ModelTag> Tags { get; set; } = [];
    public List<ModelVersion> Versions { get; set; } = [];
    public List<ModelAlias> Aliases { get; set; } = [];
}

public sealed class ModelTag
{
    public Guid ModelId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
