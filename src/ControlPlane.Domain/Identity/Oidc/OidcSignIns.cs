using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>
/// Sign-in through the identity provider. The user is found by issuer and subject (an Identity external login);
/// the first sign-in creates them (just in time); their roles are recomputed from their groups at every sign-in,
/// so a group removed at the provider removes its role here. Nobody is created whose groups grant no role, and a
/// disabled user stays out whatever the provider says. Refusals are audited and thrown as <see cref="ForbiddenException"/>.
/// </summary>
public sealed class OidcSignIns(IServiceScopeFactory scopes, AuditLog audit, SecurityGeneration generation, TimeProvider time)
{
    public async Task<ControlPlaneUser> SignInAsync(ExternalIdentity who, CancellationToken ct = default)
    {
        await using var scope = OperationScope.Begin(scopes, Actor.Anonymous);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var groups = who.Groups.Where(g => !string.IsNullOrWhiteSpace(g)).Distinct(StringComparer.Ordinal).ToList();
        var roles = await OidcGroupMappings.RolesForAsync(db, groups, ct);
        var groupText = groups.Count == 0 ? "no groups" : $"groups {string.Join(", ", groups)}";
        var user = await users.FindByLoginAsync(who.Issuer, who.Subject);
        if (user is { IsDisabled: true })
        {
            await audit.RecordAsync(AuditActions.LoginFailed, "user", user.Id, $"account disabled (identity provider {who.Issuer} said yes)", ct: ct);
            throw new ForbiddenException("This account is disabled.");
        }
        if (user is null && roles.Count == 0)
            throw await DeniedAsync(null, who, groupText, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (user is null)
            user = await CreateAsync(scope.ServiceProvider, users, db, who, roles, groupText, ct);
        else
            await RecomputeRolesAsync(users, db, user, roles, groupText, ct);
        await tx.CommitAsync(ct);
        generation.Bump();
        if (roles.Count == 0)
            throw await DeniedAsync(user, who, groupText, ct);
        await audit.RecordLoginAsync(user.Id, user.UserName!, $"identity provider {who.Issuer}", ct);
        return user;
    }

    /// <summary>The identity provider link of a user (issuer as the login provider, subject as the key), or null for a local account.</summary>
    public async Task<UserLoginInfo?> LinkOfAsync(string userId)
    {
        await using var scope = OperationScope.Begin(scopes, Actor.Anonymous);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var user = await users.FindByIdAsync(userId);
        return user is null ? null : (await users.GetLoginsAsync(user)).FirstOrDefault();
    }

    private async Task<ForbiddenException> DeniedAsync(ControlPlaneUser? user, ExternalIdentity who, string groupText, CancellationToken ct)
    {
        await audit.RecordAsync(AuditActions.SignInDenied, "user", user?.Id,
            $"{who.Issuer} subject {who.Subject}: {groupText} grant no role", ct: ct);
        return new ForbiddenException("Your groups at the identity provider grant no role in ControlPlane. Ask an admin to map one of your groups.");
    }

    private async Task<ControlPlaneUser> CreateAsync(IServiceProvider scope, UserManager<ControlPlaneUser> users, ControlPlaneDbContext db,
        ExternalIdentity who, HashSet<string> roles, string groupText, CancellationToken ct)
    {
        var user = new ControlPlaneUser
        {
            UserName = await FreeUserNameAsync(users, who),
            Email = await FreeEmailAsync(users, who),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        using var origin = AuditAmbient.UseOrigin(AuditAmbient.Origin.ActingAs(user.Id, user.UserName));
        using var action = AuditAmbient.BeginAction(AuditActions.UserCreated, "user", user.Id,
            $"just in time at the first sign-in through {who.Issuer} (subject {who.Subject}, {groupText})");
        // One save, so the creation is one audit event: the user, the link and the roles.
        DeferSaves(scope);
        IdentityErrors.ThrowIfFailed(await users.CreateAsync(user)); // no password: this account signs in only at the provider
        db.UserLogins.Add(new IdentityUserLogin<string> { LoginProvider = who.Issuer, ProviderKey = who.Subject, ProviderDisplayName = "OpenID Connect", UserId = user.Id });
        var roleIds = await db.Roles.Where(r => roles.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        db.UserRoles.AddRange(roleIds.Select(id => new IdentityUserRole<string> { UserId = user.Id, RoleId = id }));
        await db.SaveChangesAsync(ct);
        return user;
    }

    private static async Task RecomputeRolesAsync(UserManager<ControlPlaneUser> users, ControlPlaneDbContext db, ControlPlaneUser user,
        HashSet<string> roles, string groupText, CancellationToken ct)
    {
        var current = (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
        if (current.SetEquals(roles))
            return;
        using var origin = AuditAmbient.UseOrigin(AuditAmbient.Origin.ActingAs(user.Id, user.UserName!));
        using var action = AuditAmbient.BeginAction(AuditActions.UserRolesChanged, "user", user.Id,
            $"from the identity provider's {groupText}: {Describe(current)} → {Describe(roles)}");
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        db.UserRoles.RemoveRange(await db.UserRoles.Where(ur => ur.UserId == user.Id).ToListAsync(ct));
        db.UserRoles.AddRange(roles.Select(r => new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[r] }));
        // Open pages and cookies of this user re-validate and pick up the new roles (or lose them).
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The EF user store saves after each call unless told not to (its generic arity changes between releases, hence by name).</summary>
    private static void DeferSaves(IServiceProvider scope)
    {
        var store = scope.GetRequiredService<IUserStore<ControlPlaneUser>>();
        var autoSave = store.GetType().GetProperty("AutoSaveChanges")
            ?? throw new InvalidOperationException($"Single sign-on expects the Entity Framework user store, not {store.GetType()}.");
        autoSave.SetValue(store, false);
    }

    private static string Describe(IEnumerable<string> roles) =>
        roles.Any() ? string.Join(", ", roles.Order(StringComparer.Ordinal)) : "no role";

    /// <summary>The provider's user name made to fit ours, with a number added while it is taken (by a local user, say).</summary>
    private static async Task<string> FreeUserNameAsync(UserManager<ControlPlaneUser> users, ExternalIdentity who)
    {
        var wanted = who.PreferredUserName ?? who.Email?.Split('@')[0] ?? "user";
        var allowed = users.Options.User.AllowedUserNameCharacters;
        var name = new string(wanted.Where(c => allowed.Contains(c)).ToArray());
        name = name.Length == 0 ? "user" : name[..Math.Min(name.Length, IdentityRules.MaxUserNameLength - 4)];
        var candidate = name;
        for (var n = 2; await users.FindByNameAsync(candidate) is not null; n++)
            candidate = $"{name}-{n}";
        return candidate;
    }

    /// <summary>The provider's e-mail, unless another account has it: then a placeholder (accounts are never joined by e-mail).</summary>
    private static async Task<string> FreeEmailAsync(UserManager<ControlPlaneUser> users, ExternalIdentity who)
    {
        if (who.Email is { Length: > 3 and <= 256 } email && email.Contains('@') && await users.FindByEmailAsync(email) is null)
            return email;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{who.Issuer}\n{who.Subject}")))[..16];
        return $"oidc-{key}@users.invalid";
    }
}
