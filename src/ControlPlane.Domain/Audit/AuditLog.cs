using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Audit;

/// <summary>Writes explicit audit events (sign-ins, denials, downloads, job runs) for things that change no entity.</summary>
public sealed class AuditLog(IDbContextFactory<ControlPlaneDbContext> contexts, TimeProvider time)
{
    /// <summary>Records a successful sign-in, attributed to the user who signed in.</summary>
    public Task RecordLoginAsync(string userId, string userName, string? reason = null, CancellationToken ct = default) =>
        RecordAsync(AuditActions.LoginSucceeded, "user", userId, reason, origin: AuditAmbient.Origin.ActingAs(userId, userName), ct: ct);

    public async Task RecordAsync(string action, string? entityType = null, string? entityId = null, string? reason = null,
        IEnumerable<AuditChange>? details = null, AuditOrigin? origin = null, CancellationToken ct = default)
    {
        var who = origin ?? AuditAmbient.Origin;
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAtUtc = AuditClock.UtcNow(time),
            ActorId = who.ActorId,
            ActorName = who.ActorName,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Changes = AuditChange.ToJson(details ?? []),
            Reason = reason,
            CorrelationId = who.CorrelationId,
            ClientIp = who.ClientIp,
        });
        await db.SaveChangesAsync(ct);
    }
}
