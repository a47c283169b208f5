namespace ControlPlane.Domain.Datasets;

/// <summary>A named dataset; its versions are immutable files, its description and tags are not.</summary>
public sealed class Dataset : Common.INamedResource
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Upper-case invariant name: names are unique case-insensitively on every provider.</summary>
    public required string NormalizedName { get; set; }
    public string? Description { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    /// <summary>The number the last version got; bumped under the audit head lock so numbers have no gaps.</summary>
    public int LatestVersionNumber { get; set; }
    public Guid ConcurrencyStamp { get; set; }
    public List<DatasetTag> Tags { get; set; } = [];
    public List<DatasetVersion> Versions { get; set; } = [];
}

public sealed class DatasetTag
{
    public Guid DatasetId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
