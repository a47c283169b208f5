namespace ControlPlane.Domain.Identity;

/// <summary>A bearer token for the REST API. Only the SHA-256 of the secret is stored.</summary>
public sealed class PersonalAccessToken
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public ControlPlaneUser? User { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>The first characters of the secret, shown in lists so users can tell tokens apart.</summary>
    public required string DisplayPrefix { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public DateTime? LastUsedAtUtc { get; set; }
    /// <summary>What the token may do within its user's roles (<see cref="TokenScopes.All"/> for tokens made before scopes).</summary>
    public TokenScopes Scopes { get; set; } = TokenScopes.All;
    /// <summary>JSON array of the model names the token is limited to; null for every model.</summary>
    public string? Models { get; set; }

    public bool IsActiveAt(DateTime utcNow) => RevokedAtUtc is null && ExpiresAtUtc > utcNow;
}
