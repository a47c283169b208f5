using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Audit;

/// <summary>Who caused the changes being saved, from where, as part of which request.</summary>
public sealed record AuditOrigin(string? ActorId, string ActorName, string? CorrelationId, string? ClientIp)
{
    public static AuditOrigin System { get; } = new(null, "system", null, null);

    public static AuditOrigin From(Actor actor, string? correlationId, string? clientIp) =>
        new(actor.UserId, actor.IsAuthenticated ? actor.Name : "anonymous", correlationId, clientIp);

    /// <summary>The same request, attributed to a user who has just proved who they are.</summary>
    public AuditOrigin ActingAs(string userId, string userName) => this with { ActorId = userId, ActorName = userName };
}

/// <summary>An explicit name (and reason) for the changes saved while it is open.</summary>
public sealed record AuditAction(string Name, string? EntityType = null, string? EntityId = null, string? Reason = null);
