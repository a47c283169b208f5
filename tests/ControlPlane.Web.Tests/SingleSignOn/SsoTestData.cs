using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.SingleSignOn;

/// <summary>Reads the database the app writes, and runs domain services as a given actor, for the single sign-on tests.</summary>
internal static class SsoTestData
{
    public const string Issuer = "https://idp.example.test";

    public static async Task<T> ReadAsync<T>(this ControlPlaneWebFactory app, Func<ControlPlaneDbContext, Task<T>> read)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await read(db);
    }

    public static Task<List<AuditEvent>> EventsAsync(this ControlPlaneWebFactory app, string action, string? entityId = null) =>
        app.ReadAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action == action && (entityId == null || e.EntityId == entityId))
            .OrderBy(e => e.Sequence).ToListAsync());

    public static async Task<string[]> RolesOfAsync(this ControlPlaneWebFactory app, string userId) =>
        await app.ReadAsync(db => db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .OrderBy(n => n).ToArrayAsync());

    /// <summary>A service in a scope of its own whose actor is <paramref name="actor"/>, as the web host's middleware sets it.</summary>
    public static T As<T>(this ControlPlaneWebFactory app, Actor actor) where T : notnull
    {
        var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current = actor;
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    public static Actor ActorOf(string userId, string name, params string[] roles) => new(userId, name, roles.ToHashSet(), true);

    public static Actor Admin { get; } = new("admin-actor", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
}
