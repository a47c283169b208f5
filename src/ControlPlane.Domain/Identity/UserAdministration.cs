using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Identity;

/// <summary>User management. Every method checks the caller's role itself, whatever page or endpoint called it.</summary>
public sealed class UserAdministration(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IServiceScopeFactory scopes,
    IActorContext actor,
    SecurityGeneration generation,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<Page<UserSummary>> ListAsync(PageRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var needle = request.Search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(needle) || u.NormalizedEmail!.Contains(needle));
        }
        var total = await query.CountAsync(ct);
        query = (request.SortBy?.ToLowerInvariant(), request.Descending) switch
        {
            ("email", false) => query.OrderBy(u => u.NormalizedEmail),
            ("email", true) => query.OrderByDescending(u => u.NormalizedEmail),
            ("createdat", false) => query.OrderBy(u => u.CreatedAtUtc),
            ("createdat", true) => query.OrderByDescending(u => u.CreatedAtUtc),
            (_, true) => query.OrderByDescending(u => u.NormalizedUserName),
            _ => query.OrderBy(u => u.NormalizedUserName),
        };
        var now = time.GetUtcNow();
        var rows = await query.Skip(request.Skip).Take(request.Take)
            .Select(u => new
            {
                u.Id, u.UserName, u.Email, u.IsDisabled, u.LockoutEnd, u.CreatedAtUtc,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .ToListAsync(ct);
        var items = rows.Select(r => new UserSummary(
            r.Id, r.UserName!, r.Email, r.Roles.Order(StringComparer.Ordinal).ToList(), r.IsDisabled,
            r.LockoutEnd is { } end && end > now, r.CreatedAtUtc)).ToList();
        return new Page<UserSummary>(items, total);
    }

    public async Task<UserSummary> GetAsync(string userId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        return await DescribeAsync(userId, ct);
    }

    public async Task<UserSummary> CreateAsync(NewUser request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        return await CreateUserAsync(request, ct);
    }

    public async Task<UserSummary> SetRolesAsync(string userId, IReadOnlyList<string> roles, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var wanted = ValidateRoles(roles);
        await InOneSaveAsync(AuditActions.UserRolesChanged, userId, async (users, db) =>
        {
            var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException($"User {userId} does not exist.");
            var current = await db.UserRoles.Where(ur => ur.UserId == userId).ToListAsync(ct);
            var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
            if (current.Any(ur => ur.RoleId == roleIds[ControlPlaneRoles.Admin]) && !wanted.Contains(ControlPlaneRoles.Admin))
                await EnsureAnotherActiveAdminAsync(db, user.Id, "remove the Admin role from", ct);
            db.UserRoles.RemoveRange(current.Where(ur => !wanted.Contains(roleIds.Single(r => r.Value == ur.RoleId).Key)));
            db.UserRoles.AddRange(wanted.Where(role => current.All(ur => ur.RoleId != roleIds[role]))
                .Select(role => new IdentityUserRole<string> { UserId = userId, RoleId = roleIds[role] }));
            RotateStamps(user);
        }, ct);
        return await DescribeAsync(userId, ct);
    }

    /// <summary>Disables or enables a user; a disabled user's sessions and tokens stop working.</summary>
    public async Task<UserSummary> SetDisabledAsync(string userId, bool disabled, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.Admin);
        if (disabled && caller.UserId == userId)
            throw new ConflictException("You cannot disable your own account.");
        await InOneSaveAsync(disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, userId, async (users, db) =>
        {
            var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException($"User {userId} does not exist.");
            if (user.IsDisabled == disabled)
                return;
            if (disabled && await users.IsInRoleAsync(user, ControlPlaneRoles.Admin))
                await EnsureAnotherActiveAdminAsync(db, user.Id, "disable", ct);
            user.IsDisabled = disabled;
            RotateStamps(user);
        }, ct);
        return await DescribeAsync(userId, ct);
    }

    /// <summary>
    /// Ends every browser session of a user (an admin's "sign out everywhere"): the security stamp changes, so cookies
    /// are refused at their next check and open pages lose the user within a minute. Tokens are revoked on their own.
    /// </summary>
    public async Task<UserSummary> SignOutEverywhereAsync(string userId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await InOneSaveAsync(AuditActions.UserSignedOut, userId, async (users, db) =>
        {
            var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException($"User {userId} does not exist.");
            RotateStamps(user);
            await Sessions.UserSessions.RevokeAllAsync(db, userId, actor.Current.Name, time.GetUtcNow().UtcDateTime, ct);
            // The stamps are bookkeeping the trail leaves out, so the sign-out is an event of its own, in the same save.
            db.AuditEvents.Add(audit.Create(AuditActions.UserSignedOut, "user", userId));
        }, ct);
        return await DescribeAsync(userId, ct);
    }

    /// <summary>The caller's own profile.</summary>
    public async Task<UserSummary> GetCurrentAsync(CancellationToken ct = default) =>
        await DescribeAsync(actor.Current.RequireUserId(), ct);

    /// <summary>Creates a user without checking the caller: only for first-run setup and configuration bootstrap.</summary>
    internal async Task<UserSummary> CreateUserAsync(NewUser request, CancellationToken ct, string? reason = null)
    {
        var roles = ValidateRoles(request.Roles);
        if (request.UserName?.Trim().Length > IdentityRules.MaxUserNameLength)
            throw new ValidationException($"A user name has at most {IdentityRules.MaxUserNameLength} characters.",
                new Dictionary<string, string[]> { ["userName"] = [$"At most {IdentityRules.MaxUserNameLength} characters."] });
        var user = new ControlPlaneUser
        {
            UserName = request.UserName?.Trim(),
            Email = request.Email?.Trim(),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        await InOneSaveAsync(AuditActions.UserCreated, user.Id, async (users, db) =>
        {
            IdentityErrors.ThrowIfFailed(await users.CreateAsync(user, request.Password ?? ""));
            var roleIds = await db.Roles.Where(r => roles.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
            db.UserRoles.AddRange(roleIds.Select(id => new IdentityUserRole<string> { UserId = user.Id, RoleId = id }));
        }, ct, reason);
        return await DescribeAsync(user.Id, ct);
    }

    /// <summary>
    /// Runs Identity operations with auto-save off and saves once, so one admin action is one transaction
    /// and one audit event.
    /// </summary>
    private async Task InOneSaveAsync(string action, string userId, Func<UserManager<ControlPlaneUser>, ControlPlaneDbContext, Task> work,
        CancellationToken ct, string? reason = null)
    {
        await using var scope = OperationScope.Begin(scopes, actor.Current);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        // AutoSaveChanges lives on the EF user store, whose generic arity changes between releases (passkeys in .NET 10).
        var store = scope.ServiceProvider.GetRequiredService<IUserStore<ControlPlaneUser>>();
        var autoSave = store.GetType().GetProperty("AutoSaveChanges")
            ?? throw new InvalidOperationException($"User administration expects the Entity Framework user store, not {store.GetType()}.");
        autoSave.SetValue(store, false);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        using var audit = AuditAmbient.BeginAction(action, "user", userId, reason);
        await work(users, db);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        generation.Bump();
    }

    private async Task<UserSummary> DescribeAsync(string userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new NotFoundException($"User {userId} does not exist.");
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        return new UserSummary(user.Id, user.UserName!, user.Email, roles.Order(StringComparer.Ordinal).ToList(),
            user.IsDisabled, user.LockoutEnd is { } end && end > time.GetUtcNow(), user.CreatedAtUtc);
    }

    /// <summary>
    /// A new security stamp makes open sessions re-validate (new roles, or signed out when disabled); the
    /// concurrency stamp turns a lost race into a 409. Set directly: UserManager.UpdateAsync re-attaches the
    /// user and would erase the original values the audit trail records.
    /// </summary>
    private static void RotateStamps(ControlPlaneUser user)
    {
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }

    private static HashSet<string> ValidateRoles(IReadOnlyList<string>? roles)
    {
        var unknown = (roles ?? []).Where(r => !ControlPlaneRoles.IsKnown(r)).ToList();
        if (unknown.Count > 0)
            throw new ValidationException($"Unknown role(s): {string.Join(", ", unknown)}. Known roles: {string.Join(", ", ControlPlaneRoles.All)}.",
                new Dictionary<string, string[]> { ["roles"] = [$"Use {string.Join(", ", ControlPlaneRoles.All)}."] });
        return (roles ?? []).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task EnsureAnotherActiveAdminAsync(ControlPlaneDbContext db, string userId, string verb, CancellationToken ct)
    {
        var others = await db.UserRoles
            .Join(db.Roles.Where(r => r.Name == ControlPlaneRoles.Admin), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Join(db.Users.Where(u => !u.IsDisabled && u.Id != userId), id => id, u => u.Id, (id, _) => id)
            .AnyAsync(ct);
        if (!others)
            throw new ConflictException($"Cannot {verb} the last active admin.");
    }
}
