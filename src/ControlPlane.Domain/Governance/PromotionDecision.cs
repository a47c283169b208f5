namespace ControlPlane.Domain.Governance;

public enum DecisionKind
{
    Approve,
    Reject,
}

/// <summary>The stated meaning of an electronic signature (21 CFR Part 11 §11.50).</summary>
public enum SignatureMeaning
{
    Approved,
    Rejected,
    Reviewed,
}

/// <summary>
/// One reviewer's electronic signature on a request: printed name, UTC time and meaning, bound to the evidence hash
/// it was given on (<see cref="SignatureHash"/> covers all of it). Unique per request and signer.
/// </summary>
public sealed class PromotionDecision
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public required string SignerId { get; set; }
    public required string SignerName { get; set; }
    public DecisionKind Decision { get; set; }
    public SignatureMeaning Meaning { get; set; }
    public required string Reason { get; set; }
    /// <summary>JSON array of gate overrides ({gate, reason}) this signer recorded.</summary>
    public string Overrides { get; set; } = "[]";
    public required string EvidenceHash { get; set; }
    public required string SignatureHash { get; set; }
    public DateTime SignedAtUtc { get; set; }
    /// <summary>For a signer who re-authenticated at the identity provider instead of typing a password: its issuer.</summary>
    public string? IdpIssuer { get; set; }
    /// <summary>The identity provider's <c>auth_time</c> of that re-authentication (UTC, whole seconds).</summary>
    public DateTime? IdpAuthTimeUtc { get; set; }
}
