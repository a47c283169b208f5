namespace ControlPlane.Domain.Audit;

/// <summary>
/// One link of the append-only, hash-chained audit trail. Rows are written only by the audit interceptor
/// (in the same transaction as the change they describe) and never updated or deleted; the database
/// rejects UPDATE and DELETE with triggers.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Gap-free, starting at 1, assigned under the chain-head lock.</summary>
    public long Sequence { get; set; }
    public DateTime OccurredAtUtc { get; set; }
    public string? ActorId { get; set; }
    public required string ActorName { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    /// <summary>Canonical JSON array of <c>[entityType, entityId, field, old, new]</c> arrays.</summary>
    public string Changes { get; set; } = "[]";
    public string? Reason { get; set; }
    /// <summary>Generated on the server for each request; never taken from the caller.</summary>
    public string? CorrelationId { get; set; }
    public string? ClientIp { get; set; }
    /// <summary>The caller's own <c>X-Correlation-Id</c>, kept for cross-referencing only (keyed events).</summary>
    public string? CallerCorrelationId { get; set; }
    public string PreviousHash { get; set; } = AuditChain.GenesisHash;
    public string Hash { get; set; } = "";
    /// <summary>The chain key that <see cref="Mac"/> was made with; null on events written before the chain was keyed.</summary>
    public string? KeyId { get; set; }
    /// <summary>HMAC-SHA256 of <see cref="Hash"/> under the key <see cref="KeyId"/>, held outside the database.</summary>
    public string? Mac { get; set; }
}
