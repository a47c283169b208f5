namespace ControlPlane.Domain.Registry;

public enum ModelFlavor
{
    Onnx,
    MlNet,
}

public enum LifecycleStage
{
    None,
    Staging,
    Production,
    Archived,
}

/// <summary>An immutable artifact with what was learned about it on upload, and its lineage. Only the stage changes.</summary>
public sealed class ModelVersion
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    public RegisteredModel? Model { get; set; }
    public int Number { get; set; }
    public ModelFlavor Flavor { get; set; }
    public required string ArtifactSha256 { get; set; }
    public long ArtifactSize { get; set; }
    public required string ArtifactFileName { get; set; }
    /// <summary>JSON of <see cref="ModelSignature"/>.</summary>
    public required string Signature { get; set; }
    /// <summary>JSON of <see cref="OnnxMetadata"/> (ONNX only).</summary>
    public string? OnnxMetadata { get; set; }
    public Guid? TrainingDatasetVersionId { get; set; }
    public Guid? ParentVersionId { get; set; }
    /// <summary>JSON object of training parameters (string values).</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>JSON object of training metrics (numbers).</summary>
    public string Metrics { get; set; } = "{}";
    public string? Source { get; set; }
    public string? Notes { get; set; }
    public string? IntendedUse { get; set; }
    public string? Limitations { get; set; }
    public string? RiskTier { get; set; }
    public string? CardOwner { get; set; }
    public LifecycleStage Stage { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>One stage change, kept forever (the audit trail has it too, with the hash chain).</summary>
public sealed class StageTransition
{
    public Guid Id { get; set; }
    public Guid ModelVersionId { get; set; }
    public LifecycleStage From { get; set; }
    public LifecycleStage To { get; set; }
    public string? Reason { get; set; }
    public required string ChangedBy { get; set; }
    public DateTime ChangedAtUtc { get; set; }
}

/// <summary>A named, movable pointer to one version of a model (champion, challenger, …).</summary>
public sealed class ModelAlias
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    public required string Name { get; set; }
    public Guid ModelVersionId { get; set; }
    public ModelVersion? Version { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}
