namespace ControlPlane.Domain.Registry;

/// <summary>Where an alias points, with what a serving client needs to fetch and verify the artifact.</summary>
public sealed record AliasTarget(string Alias, int Version, string Sha256, ModelFlavor Flavor, DateTime UpdatedAtUtc)
{
    /// <summary>The version's id: moves with the alias, so it is the alias's entity tag.</summary>
    public required Guid VersionId { get; init; }

    public string ETag => $"\"{VersionId:N}\"";
}
