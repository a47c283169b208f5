using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Identity;

/// <summary>User management. Every method checks the caller's role itself, whatever page or endpoint called it.</summary>
public sealed class UserAdministration(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IServiceScopeFactory scopes,
    IActorContext actor,
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
        await using var scope = OperationScope.Begin(scopes, actor.Current);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException($"User {userId} does not exist.");
        var current = await users.GetRolesAsync(user);
        if (current.Contains(ControlPlaneRoles.Admin) && !wanted.Contains(ControlPlaneRoles.Admin))
            await EnsureAnotherActiveAdminAsync(db, user.Id, "remove the Admin role from", ct);
        IdentityErrors.ThrowIfFailed(await users.RemoveFromRolesAsync(user, current.Except(wanted)));
        IdentityErrors.ThrowIfFailed(await users.AddToRolesAsync(user, wanted.Except(current)));
        IdentityErrors.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        await tx.CommitAsync(ct);
        return await DescribeAsync(userId, ct);
    }

    /// <summary>Disables or enables a user; a disabled user's sessions and tokens stop working.</summary>
    public async Task<UserSummary> SetDisabledAsync(string userId, bool disabled, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.Admin);
        if (disabled && caller.UserId == userId)
            throw new ConflictException("You cannot disable your own account.");
        await using var scope = OperationScope.Begin(scopes, caller);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException($"User {userId} does not exist.");
        if (user.IsDisabled != disabled)
        {
            if (disabled && await users.IsInRoleAsync(user, ControlPlaneRoles.Admin))
                await EnsureAnotherActiveAdminAsync(db, user.Id, "disable", ct);
            user.IsDisabled = disabled;
            IdentityErrors.ThrowIfFailed(await users.UpdateAsync(user));
            IdentityErrors.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        }
        await tx.CommitAsync(ct);
        return await DescribeAsync(userId, ct);
    }

    /// <summary>The caller's own profile.</summary>
    public async Task<UserSummary> GetCurrentAsync(CancellationToken ct = default) =>
        await DescribeAsync(actor.Current.RequireUserId(), ct);

    /// <summary>Creates a user without checking the caller: only for first-run setup and configuration bootstrap.</summary>
    internal async Task<UserSummary> CreateUserAsync(NewUser request, CancellationToken ct)
    {
        var roles = ValidateRoles(request.Roles);
        await using var scope = OperationScope.Begin(scopes, actor.Current);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var user = new ControlPlaneUser
        {
            UserName = request.UserName?.Trim(),
            Email = request.Email?.Trim(),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        IdentityErrors.ThrowIfFailed(await users.CreateAsync(user, request.Password ?? ""));
        IdentityErrors.ThrowIfFailed(await users.AddToRolesAsync(user, roles));
        await tx.CommitAsync(ct);
        return await DescribeAsync(user.Id, ct);
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
