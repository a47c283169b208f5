using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Drift;

public sealed record NotificationView(Guid Id, string Kind, string Title, string Body, string? Link, DateTime CreatedAt);

/// <summary>In-app alerts, newest first; every signed-in role sees them.</summary>
public sealed class Notifications(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor)
{
    public async Task<IReadOnlyList<NotificationView>> RecentAsync(int count, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Notifications.AsNoTracking().OrderByDescending(n => n.CreatedAtUtc).Take(Math.Clamp(count, 1, 100))
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAtUtc)).ToListAsync(ct);
    }
}
