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
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AuditEvents.Add(Create(action, entityType, entityId, reason, details, origin));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>An event for the caller to add to its own save (numbered and chained by the interceptor).</summary>
    public AuditEvent Create(string action, string? entityType = null, string? entityId = null, string? reason = null,
        IEnumerable<AuditChange>? details = null, AuditOrigin? origin = null) =>
        AuditOrigin.NewEvent(origin ?? AuditAmbient.Origin, AuditClock.UtcNow(time), action, entityType, entityId, AuditChange.ToJson(details ?? []), reason);
}
