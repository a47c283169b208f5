namespace ControlPlane.Domain.Audit;

/// <summary>Filters shared by the audit page, <c>GET /api/v1/audit</c> and exports. Every part is optional.</summary>
public sealed record AuditFilter(
    string? Actor = null,
    string? Action = null,
    string? EntityType = null,
    string? EntityId = null,
    DateTime? FromUtc = null,
    DateTime? ToUtc = null);

public sealed record AuditEventView(
    long Sequence, DateTime OccurredAt, string? ActorId, string ActorName, string Action, string? EntityType, string? EntityId,
    IReadOnlyList<AuditChange> Changes, string? Reason, string? CorrelationId, string? ClientIp, string PreviousHash, string Hash,
    string? CallerCorrelationId = null, string? KeyId = null)
{
    public static AuditEventView From(AuditEvent e) => new(
        e.Sequence, e.OccurredAtUtc, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId,
        AuditChange.FromJson(e.Changes), e.Reason, e.CorrelationId, e.ClientIp, e.PreviousHash, e.Hash, e.CallerCorrelationId, e.KeyId);
}

public enum AuditExportFormat
{
    Csv,
    JsonLines,
}

/// <summary>An audited entity by name, and the page that shows it where there is one.</summary>
public sealed record AuditSubject(string Text, string? Link);

/// <summary>The values on record for the audit filters.</summary>
public sealed record AuditFacets(IReadOnlyList<string> Actions, IReadOnlyList<string> EntityTypes, IReadOnlyList<string> Actors);
