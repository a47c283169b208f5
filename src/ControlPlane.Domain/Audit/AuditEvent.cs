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
    public string? CorrelationId { get; set; }
    public string? ClientIp { get; set; }
    public string PreviousHash { get; set; } = AuditChain.GenesisHash;
    public string Hash { get; set; } = "";
}
