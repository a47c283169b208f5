using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Identity;

public sealed record IssuedToken(Guid Id, string Token, string Name, DateTime ExpiresAt)
{
    public IReadOnlyList<string> Scopes { get; init; } = TokenScopeNames.Of(TokenScopes.All);
    public IReadOnlyList<string>? Models { get; init; }
}

public sealed record AccessTokenInfo(Guid Id, string Name, string DisplayPrefix, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public IReadOnlyList<string> Scopes { get; init; } = TokenScopeNames.Of(TokenScopes.All);
    public IReadOnlyList<string>? Models { get; init; }
}

/// <summary>What a new token may do: its scopes, and the models it is limited to (null: every model).</summary>
public sealed record TokenGrant(TokenScopes Scopes, IReadOnlyList<string>? Models = null)
{
    public static TokenGrant Everything { get; } = new(TokenScopes.All);
}

/// <summary>A bearer secret that checked out: whose it is, until when, and what it may do.</summary>
public sealed record AuthenticatedToken(ControlPlaneUser User, DateTime ExpiresAtUtc, TokenScopes Scopes, IReadOnlyList<string>? Models);

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
    public async Task<IssuedToken> IssueWithPasswordAsync(string userName, string password, string name, int? expiresInDays, CancellationToken ct = default) =>
        await IssueWithPasswordAsync(userName, password, name, expiresInDays, TokenGrant.Everything, ct);

    /// <summary>As above, with the scopes and models the token is limited to.</summary>
    public async Task<IssuedToken> IssueWithPasswordAsync(string userName, string password, string name, int? expiresInDays, TokenGrant grant, CancellationToken ct = default)
    {
        var (tokenName, days) = ValidateRequest(name, expiresInDays);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
            throw new AuthenticationFailedException("User name and password are required.");
        await using var scope = OperationScope.Begin(scopes, Actor.Anonymous);
        Oidc.LocalSignIn.Require(scope.ServiceProvider);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var user = await CredentialCheck.VerifyAsync(users, audit, throttle, userName.Trim(), password);
        // The caller proved who they are with the password: the new token is theirs, and so is the audit entry.
        using var asUser = AuditAmbient.UseOrigin(AuditAmbient.Origin.ActingAs(user.Id, user.UserName!));
        // Only after the password: model names are not for someone who cannot sign in.
        var models = await ValidateModelsAsync(grant.Models, ct);
        return await StoreAsync(user.Id, tokenName, days, NewSecret(), grant with { Models = models }, ct, "issued with password");
    }

    /// <summary>
    /// A new token for the signed-in user: <paramref name="scopes"/> and <paramref name="models"/> left out are the
    /// caller's own (a session's: everything). A token making a token cannot widen itself.
    /// </summary>
    public async Task<IssuedToken> CreateForCurrentUserAsync(string name, int? expiresInDays, TokenScopes? scopes = null, IReadOnlyList<string>? models = null, CancellationToken ct = default)
    {
        var current = actor.Current;
        var userId = current.RequireUserId();
        var (tokenName, days) = ValidateRequest(name, expiresInDays);
        var grant = new TokenGrant(scopes ?? current.Scopes ?? TokenScopes.All, models ?? current.Models?.Order(StringComparer.Ordinal).ToList());
        if (current.Scopes is { } own && (grant.Scopes & ~own) != TokenScopes.None)
            throw new ForbiddenException($"A token can only make tokens within its own scopes ({string.Join(", ", TokenScopeNames.Of(own))}).");
        if (current.Models is { } limited && grant.Models!.Any(m => !limited.Contains(m)))
            throw new ForbiddenException($"A token can only make tokens within its own models ({string.Join(", ", limited.Order(StringComparer.Ordinal))}).");
        var validated = await ValidateModelsAsync(grant.Models, ct);
        return await StoreAsync(userId, tokenName, days, NewSecret(), grant with { Models = validated }, ct);
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
        await StoreAsync(userId, "bootstrap", MaxLifetimeDays, secret, TokenGrant.Everything, ct, "ControlPlane:Bootstrap:AdminApiToken");
    }

    public async Task<IReadOnlyList<AccessTokenInfo>> ListForCurrentUserAsync(CancellationToken ct = default)
    {
        var userId = actor.Current.RequireUserId();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAtUtc)
            .ToListAsync(ct);
        return [.. rows.Select(t => new AccessTokenInfo(t.Id, t.Name, t.DisplayPrefix, t.CreatedAtUtc, t.ExpiresAtUtc, t.RevokedAtUtc, t.LastUsedAtUtc)
            { Scopes = TokenScopeNames.Of(t.Scopes), Models = ModelsOf(t) })];
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

    /// <summary>As <see cref="AuthenticateAsync"/>, with the token's expiry (callers never cache past it) and what it may do.</summary>
    public async Task<AuthenticatedToken?> AuthenticateTokenAsync(string secret, CancellationToken ct = default)
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
        return new AuthenticatedToken(token.User, token.ExpiresAtUtc, token.Scopes, ModelsOf(token));
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

    private static IReadOnlyList<string>? ModelsOf(PersonalAccessToken token) =>
        token.Models is null ? null : System.Text.Json.JsonSerializer.Deserialize<List<string>>(token.Models);

    /// <summary>Null stays null (every model); otherwise each name must be a model that exists, named as it is stored.</summary>
    private async Task<IReadOnlyList<string>?> ValidateModelsAsync(IReadOnlyList<string>? models, CancellationToken ct)
    {
        if (models is null)
            return null;
        var wanted = models.Select(m => m?.Trim() ?? "").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (wanted.Count is 0 or > MaxModels || wanted.Any(m => m.Length == 0))
            throw ValidationException.For("models", $"Name 1 to {MaxModels} models, or leave models out for every model.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await db.Models.AsNoTracking().Where(m => wanted.Contains(m.Name)).Select(m => m.Name).ToListAsync(ct);
        var missing = wanted.Where(w => !found.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
            throw ValidationException.For("models", $"No model is named {string.Join(", ", missing)}.");
        return [.. found.Order(StringComparer.Ordinal)];
    }

    public const int MaxModels = 50;

    private async Task<IssuedToken> StoreAsync(string userId, string name, int days, string secret, TokenGrant grant, CancellationToken ct, string? reason = null)
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
            Scopes = grant.Scopes == TokenScopes.None ? throw ValidationException.For("scopes", "A token needs at least one scope.") : grant.Scopes,
            Models = grant.Models is null ? null : System.Text.Json.JsonSerializer.Serialize(grant.Models),
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.PersonalAccessTokens.Add(token);
        using var scope = AuditAmbient.BeginAction(AuditActions.TokenCreated, "token", token.Id.ToString(), reason);
        await db.SaveChangesAsync(ct);
        return new IssuedToken(token.Id, secret, name, token.ExpiresAtUtc) { Scopes = TokenScopeNames.Of(token.Scopes), Models = grant.Models };
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
