using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Governance;

/// <summary>What to promote and where: exactly one of <see cref="Stage"/> (Production) or <see cref="Alias"/>.</summary>
public sealed record PromotionTarget(LifecycleStage? Stage = null, string? Alias = null);

public sealed record PromotionRequestInput(string Model, int Version, PromotionTarget Target, string Justification);

public sealed record GateOverride(string Gate, string Reason);

/// <summary>
/// A signature: the decision, its stated meaning and reason, and the signer's password typed again now, or, for a user
/// of the identity provider, <paramref name="Reauthentication"/>: the sealed proof of a fresh sign-in there.
/// </summary>
public sealed record DecisionInput(DecisionKind Decision, SignatureMeaning Meaning, string Reason, string Password, IReadOnlyList<GateOverride>? Overrides = null,
    [property: System.ComponentModel.DataAnnotations.MaxLength(8192)] string? Reauthentication = null);

public sealed record ReasonInput(string Reason);

public sealed record SignatureView(
    Guid Id, string SignerName, DecisionKind Decision, SignatureMeaning Meaning, string Reason, DateTime SignedAt,
    string EvidenceHash, string SignatureHash, IReadOnlyList<GateOverride> Overrides, string? RolesSetBy = null,
    string? IdpIssuer = null, DateTime? IdpAuthTime = null);

/// <summary>Whether the caller may sign this request now, and if not, why (separation of duties, role, already signed).</summary>
public sealed record SigningEligibility(bool CanSign, string? Reason, bool CanOverride);

public sealed record PromotionSummary(
    Guid Id, string Model, int Version, LifecycleStage? TargetStage, string? TargetAlias, string RequestedBy, DateTime RequestedAt,
    DateTime ExpiresAt, PromotionStatus Status, string? StatusReason, int Approvals, int RequiredApprovals, int FailingGates);

public sealed record PromotionView(
    Guid Id, string Model, int Version, LifecycleStage? TargetStage, string? TargetAlias, string Justification,
    string RequestedBy, DateTime RequestedAt, DateTime ExpiresAt, PromotionStatus Status, string? StatusReason, DateTime? CompletedAt,
    int PolicyVersion, bool PolicyIsModelSpecific, int Approvals, int RequiredApprovals, string EvidenceHash, PromotionEvidence Evidence,
    IReadOnlyList<GateCheck> Gates, IReadOnlyList<SignatureView> Signatures, int? PreviousVersion, string? RevokedBy, DateTime? RevokedAt,
    SigningEligibility Eligibility, IReadOnlyList<EarlierDecision>? EarlierDecisions = null);

/// <summary>A signature on another request for the same version (a rejection before a re-request, for instance).</summary>
public sealed record EarlierDecision(Guid RequestId, string Target, PromotionStatus RequestStatus, string SignerName, DecisionKind Decision, string Reason, DateTime SignedAt);

/// <summary>One stretch of time a version spent in Production (<see cref="To"/> null: still there), read from the audit trail.</summary>
public sealed record ProductionPeriod(int Version, DateTime From, DateTime? To, string ChangedBy, long AuditSequence, string? Reason);

public sealed record ProductionHistory(string Model, IReadOnlyList<ProductionPeriod> Periods, DateTime? At, int? VersionAt);

public sealed record HoldView(string Model, bool OnHold, string? Reason, string? ChangedBy, DateTime? ChangedAt);
