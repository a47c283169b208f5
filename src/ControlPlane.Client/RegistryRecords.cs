namespace ControlPlane.Client;

/// <summary>How a version's artifact is stored: only ONNX can be served by <see cref="ModelHandle"/>.</summary>
public enum ModelFlavor
{
    Onnx,
    MlNet,
}

public sealed record AliasInfo(string Name, int Version, string UpdatedBy, DateTime UpdatedAt);

public sealed record ModelInfo(
    Guid Id, string Name, string? Description, string Owner, IReadOnlyDictionary<string, string> Tags,
    int LatestVersion, IReadOnlyList<AliasInfo> Aliases, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ModelSummaryInfo(
    string Name, string? Description, string Owner, IReadOnlyDictionary<string, string> Tags,
    int LatestVersion, int VersionCount, IReadOnlyList<string> Stages, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The registry's view of a version, less the signature and lineage a serving app does not need.</summary>
public sealed record ModelVersionInfo(
    Guid Id, string Model, int Version, ModelFlavor Flavor, string Sha256, long Size, string FileName,
    string Stage, IReadOnlyList<string> Aliases, IReadOnlyDictionary<string, double> Metrics, string CreatedBy, DateTime CreatedAt);

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>Where an alias points. <see cref="ETag"/> names the version; send it back to wait for the alias to move.</summary>
public sealed record AliasTarget(string Alias, int Version, string Sha256, ModelFlavor Flavor, DateTime UpdatedAtUtc)
{
    public string? ETag { get; init; }
}

/// <summary>The ingest API's answer to one batch of prediction records.</summary>
public sealed record IngestResult(int Accepted, int Rejected, IReadOnlyList<System.Text.Json.JsonElement>? Rejections);

/// <summary>The server's answer to a load-failure report: false when it already had this instance's report for the version this hour.</summary>
internal sealed record LoadFailureReceipt(bool Recorded);
