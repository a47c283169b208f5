namespace ControlPlane.Domain.Governance;

public enum PromotionStatus
{
    Pending,
    Approved,
    Rejected,
    Withdrawn,
    Invalidated,
    Expired,
    Revoked,
}

/// <summary>
/// A request to put a version into Production or behind a protected alias. It pins its evidence (hashed) and the
/// policy version; decisions are signatures bound to that hash. Only the status fields change after creation.
/// </summary>
public sealed class PromotionRequest
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    public Guid ModelVersionId { get; set; }
    /// <summary>Null when the target is an alias.</summary>
    public Registry.LifecycleStage? TargetStage { get; set; }
    public string? TargetAlias { get; set; }
    public required string Justification { get; set; }
    public required string RequestedBy { get; set; }
    public string? RequestedById { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public Guid PolicyId { get; set; }
    public int PolicyVersion { get; set; }
    public int RequiredApprovals { get; set; }
    /// <summary>JSON of <see cref="PromotionEvidence"/> as pinned.</summary>
    public required string Evidence { get; set; }
    /// <summary>SHA-256 (hex) of <see cref="Evidence"/>; every signature names it.</summary>
    public required string EvidenceHash { get; set; }
    /// <summary>JSON of the gate checklist at request time.</summary>
    public required string Gates { get; set; }
    public PromotionStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public int Approvals { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    /// <summary>What the target pointed at before execution (the previous production version, or the alias's version), for rollback.</summary>
    public Guid? PreviousVersionId { get; set; }
    public string? RevokedBy { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }

    public string TargetText => TargetAlias is { } alias ? $"alias '{alias}'" : $"{TargetStage}";
}
