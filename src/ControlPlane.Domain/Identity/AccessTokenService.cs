using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Identity;

public sealed record IssuedToken(Guid Id, string Token, string Name, DateTime ExpiresAt);

public sealed record AccessTokenInfo(Guid Id, string Name, string DisplayPrefix, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);

/// <summary>Personal access tokens: issued once in clear text, stored as SHA-256, expire, can be revoked.</summary>
public sealed class AccessTokenService(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IServiceScopeFactory scopes,
    IActorContext actor,
    AuditLog audit,
    SecurityGeneration generation,
    SignInThrottle throttle,
    TimeProvider time)
{
    public const string Prefix = "cpat_";
    public const int MaxLifetimeDays = 365;
    public const int DefaultLifetimeDays = 90;
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Issues a token after checking user name and password; a wrong password counts toward lockout.</summary>
    public async Task<IssuedToken> IssueWithPasswordAsync(string userName, string password, string name, int? expiresInDays, CancellationToken ct = default)
    {
        var (tokenName, days) = ValidateRequest(name, expiresInDays);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
            throw new AuthenticationFailedException("User name and password are required.");
        await using var scope = OperationScope.Begin(scopes, Actor.Anonymous);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var user = await CredentialCheck.VerifyAsync(users, audit, throttle, userName.Trim(), password);
        // The caller proved who they are with the password: the new token is theirs, and so is the audit entry.
        using var asUser = AuditAmbient.UseOrigin(AuditAmbient.Origin.ActingAs(user.Id, user.UserName!));
        return await StoreAsync(user.Id, tokenName, days, NewSecret(), ct, "issued with password");
    }

    public async Task<IssuedToken> CreateForCurrentUserAsync(string name, int? expiresInDays, CancellationToken ct = default)
    {
        var userId = actor.Current.RequireUserId();
        var (tokenName, days) = ValidateRequest(name, expiresInDays);
        return await StoreAsync(userId, tokenName, days, NewSecret(), ct);
    }

    /// <summary>Registers an exact secret supplied by configuration (automation bootstrap); idempotent.</summary>
    public async Task RegisterBootstrapTokenAsync(string userId, string secret, CancellationToken ct = default)
    {
        if (secret.Length < 32)
            throw new ValidationException("ControlPlane:Bootstrap:AdminApiToken must be at least 32 characters.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hash = Hash(secret);
        if (await db.PersonalAccessTokens.AnyAsync(t => t.TokenHash == hash, ct))
            return;
        await StoreAsync(userId, "bootstrap", MaxLifetimeDays, secret, ct, "ControlPlane:Bootstrap:AdminApiToken");
    }

    public async Task<IReadOnlyList<AccessTokenInfo>> ListForCurrentUserAsync(CancellationToken ct = default)
    {
        var userId = actor.Current.RequireUserId();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAtUtc)
            .Select(t => new AccessTokenInfo(t.Id, t.Name, t.DisplayPrefix, t.CreatedAtUtc, t.ExpiresAtUtc, t.RevokedAtUtc, t.LastUsedAtUtc))
            .ToListAsync(ct);
    }

    /// <summary>Revokes one of the caller's own tokens (admins may revoke anyone's).</summary>
    public async Task RevokeAsync(Guid tokenId, CancellationToken ct = default)
    {
        var current = actor.Current;
        var userId = current.RequireUserId();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var token = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId, ct);
        if (token is null || (token.UserId != userId && !current.IsInRole(ControlPlaneRoles.Admin)))
            throw new NotFoundException($"Token {tokenId} does not exist.");
        if (token.RevokedAtUtc is not null)
            return;
        token.RevokedAtUtc = time.GetUtcNow().UtcDateTime;
        using var scope = AuditAmbient.BeginAction(AuditActions.TokenRevoked, "token", token.Id.ToString());
        await db.SaveChangesAsync(ct);
        generation.Bump();
    }

    /// <summary>The user a bearer secret belongs to, or null when it is unknown, expired, revoked or its user is disabled.</summary>
    public async Task<ControlPlaneUser?> AuthenticateAsync(string secret, CancellationToken ct = default) =>
        (await AuthenticateTokenAsync(secret, ct))?.User;

    /// <summary>As <see cref="AuthenticateAsync"/>, with the token's expiry so callers never cache past it.</summary>
    public async Task<(ControlPlaneUser User, DateTime ExpiresAtUtc)?> AuthenticateTokenAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 512)
            return null;
        var hash = Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var token = await db.PersonalAccessTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || !token.IsActiveAt(now) || token.User is null || token.User.IsDisabled)
            return null;
        if (token.LastUsedAtUtc is null || now - token.LastUsedAtUtc > LastUsedResolution)
        {
            token.LastUsedAtUtc = now;
            await db.SaveChangesAsync(ct);
        }
        return (token.User, token.ExpiresAtUtc);
    }

    /// <summary>Which stored token a refused secret is and why it was refused; never the secret or its hash.</summary>
    public async Task<(Guid? TokenId, string Why)> ExplainRefusalAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 512)
            return (null, "malformed token");
        var hash = Hash(secret);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var token = await db.PersonalAccessTokens.AsNoTracking().Include(t => t.User).SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        return token switch
        {
            null => (null, "unknown token"),
            { RevokedAtUtc: not null } => (token.Id, "revoked token"),
            _ when !token.IsActiveAt(time.GetUtcNow().UtcDateTime) => (token.Id, "expired token"),
            _ => (token.Id, "token of a disabled user"),
        };
    }

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private async Task<IssuedToken> StoreAsync(string userId, string name, int days, string secret, CancellationToken ct, string? reason = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var token = new PersonalAccessToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name,
            TokenHash = Hash(secret),
            DisplayPrefix = secret[..Math.Min(secret.Length, Prefix.Length + 4)],
            CreatedAtUtc = now,
            ExpiresAtUtc = now.AddDays(days),
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.PersonalAccessTokens.Add(token);
        using var scope = AuditAmbient.BeginAction(AuditActions.TokenCreated, "token", token.Id.ToString(), reason);
        await db.SaveChangesAsync(ct);
        return new IssuedToken(token.Id, secret, name, token.ExpiresAtUtc);
    }

    private static (string Name, int Days) ValidateRequest(string? name, int? expiresInDays)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
            throw new ValidationException("A token needs a name of 1 to 100 characters.",
                new Dictionary<string, string[]> { ["name"] = ["Give the token a name of 1 to 100 characters."] });
        var days = expiresInDays ?? DefaultLifetimeDays;
        if (days is < 1 or > MaxLifetimeDays)
            throw new ValidationException($"expiresInDays must be between 1 and {MaxLifetimeDays}.",
                new Dictionary<string, string[]> { ["expiresInDays"] = [$"Choose 1 to {MaxLifetimeDays} days."] });
        return (trimmed, days);
    }

    private static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
