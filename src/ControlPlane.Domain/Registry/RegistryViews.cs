namespace ControlPlane.Domain.Registry;

public sealed record ModelSummary(
    string Name, string? Description, string Owner, IReadOnlyDictionary<string, string> Tags,
    int LatestVersion, int VersionCount, IReadOnlyList<string> Stages, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record AliasView(string Name, int Version, string UpdatedBy, DateTime UpdatedAt);

public sealed record ModelDetail(
    Guid Id, string Name, string? Description, string Owner, IReadOnlyDictionary<string, string> Tags,
    int LatestVersion, IReadOnlyList<AliasView> Aliases, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ModelCard(string? IntendedUse, string? Limitations, string? RiskTier, string? Owner);

/// <summary>Optional metadata sent with a new version.</summary>
public sealed record VersionMetadata(
    Guid? TrainingDatasetVersionId = null,
    int? ParentVersion = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyDictionary<string, double>? Metrics = null,
    string? Source = null,
    string? Notes = null,
    ModelCard? ModelCard = null,
    DatasetRef? TrainingDataset = null);

/// <summary>A dataset version by name and number (the friendlier way to name a training dataset).</summary>
public sealed record DatasetRef(string Name, int Version);

public sealed record StageChangeView(LifecycleStage From, LifecycleStage To, string? Reason, string ChangedBy, DateTime ChangedAt);

public sealed record ModelVersionView(
    Guid Id, string Model, int Version, ModelFlavor Flavor, string Sha256, long Size, string FileName,
    ModelSignature Signature, OnnxMetadata? Onnx, Guid? TrainingDatasetVersionId, DatasetRef? TrainingDataset, int? ParentVersion,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, double> Metrics,
    string? Source, string? Notes, ModelCard ModelCard, LifecycleStage Stage, IReadOnlyList<string> Aliases,
    string CreatedBy, DateTime CreatedAt);

public sealed record ArtifactDownload(Stream Content, string Sha256, long Size, string FileName);
