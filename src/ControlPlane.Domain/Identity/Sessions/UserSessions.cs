using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Identity.Sessions;

/// <param name="Current">The session the call came with.</param>
public sealed record UserSessionView(Guid Id, DateTime CreatedAtUtc, DateTime LastSeenAtUtc, string? UserAgent, string? IpAddress, bool Current);

/// <summary>
/// Server-side records of signed-in browsers. The web host starts one at every sign-in (whatever the sign-in method)
/// and checks it on every cookie request and every minute on an open page; a revoked or idle session is refused.
/// </summary>
public sealed class UserSessions(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor, AuditLog audit, TimeProvider time)
{
    /// <summary>How often the last-seen time is written at most: the idle check is that coarse.</summary>
    public static TimeSpan TouchInterval { get; } = TimeSpan.FromMinutes(1);

    /// <summary>Starts the session of a sign-in (no actor yet: the caller is the sign-in itself).</summary>
    public async Task<Guid> StartAsync(string userId, string? userAgent, string? ipAddress, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(), UserId = userId, CreatedAtUtc = now, LastSeenAtUtc = now,
            UserAgent = Cut(userAgent, 512), IpAddress = Cut(ipAddress, 64),
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    /// <summary>
    /// Whether the session is still good for this user: not revoked, and used within <paramref name="idleTimeout"/>
    /// before now. A request (<paramref name="pageActivityUtc"/> null) is judged on the stored last use and then
    /// becomes it; an open page reports its last click, which counts as use. The last-seen time is written at most once a minute.
    /// </summary>
    public async Task<bool> IsActiveAsync(Guid id, string userId, DateTime? pageActivityUtc, TimeSpan idleTimeout, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.UserSessions.SingleOrDefaultAsync(s => s.Id == id, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (session is null || session.UserId != userId || session.RevokedAtUtc is not null)
            return false;
        var lastUse = pageActivityUtc is { } click && click > session.LastSeenAtUtc ? click : session.LastSeenAtUtc;
        if (now - lastUse > idleTimeout)
            return false;
        var seen = pageActivityUtc ?? now;
        if (seen - session.LastSeenAtUtc >= TouchInterval)
        {
            session.LastSeenAtUtc = seen;
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>The caller's sessions that are neither revoked nor idle past <paramref name="idleTimeout"/>, newest first.</summary>
    public async Task<IReadOnlyList<UserSessionView>> ListMineAsync(TimeSpan idleTimeout, CancellationToken ct = default)
    {
        var me = actor.Current.RequireUserId();
        actor.Current.RequireScope(TokenScopes.Read);
        var since = time.GetUtcNow().UtcDateTime - idleTimeout;
        var current = actor.Current.SessionId;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.UserSessions.AsNoTracking().Where(s => s.UserId == me && s.RevokedAtUtc == null && s.LastSeenAtUtc >= since)
            .OrderByDescending(s => s.LastSeenAtUtc)
            .Select(s => new UserSessionView(s.Id, s.CreatedAtUtc, s.LastSeenAtUtc, s.UserAgent, s.IpAddress, s.Id == current))
            .ToListAsync(ct);
    }

    /// <summary>Revokes one of the caller's own sessions (audited). Another user's session is not found, not forbidden: its id tells nothing.</summary>
    public async Task RevokeMineAsync(Guid id, CancellationToken ct = default)
    {
        var me = actor.Current.RequireUserId();
        actor.Current.RequireScope(TokenScopes.Read);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.UserSessions.SingleOrDefaultAsync(s => s.Id == id && s.UserId == me && s.RevokedAtUtc == null, ct)
            ?? throw new NotFoundException($"You have no active session {id}.");
        session.RevokedAtUtc = time.GetUtcNow().UtcDateTime;
        session.RevokedBy = actor.Current.Name;
        db.AuditEvents.Add(audit.Create(AuditActions.SessionRevoked, "user", me, $"session {id} ({session.UserAgent ?? "unknown browser"}, {session.IpAddress ?? "unknown address"})"));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends the session on sign-out (the sign-out itself is what the trail records).</summary>
    public async Task EndAsync(Guid id, string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.Id == id && s.UserId == userId && s.RevokedAtUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAtUtc, time.GetUtcNow().UtcDateTime).SetProperty(s => s.RevokedBy, "sign-out"), ct);
    }

    /// <summary>Marks every open session of the user revoked, in the caller's save (an admin's sign-out everywhere).</summary>
    internal static async Task RevokeAllAsync(ControlPlaneDbContext db, string userId, string by, DateTime now, CancellationToken ct)
    {
        foreach (var session in await db.UserSessions.Where(s => s.UserId == userId && s.RevokedAtUtc == null).ToListAsync(ct))
        {
            session.RevokedAtUtc = now;
            session.RevokedBy = by;
        }
    }

    private static string? Cut(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..length];
}
