using System.Security.Cryptography;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Identity;

/// <summary>
/// Holds the one-time setup secret printed at start while no user exists, and creates the first admin with it.
/// Singleton: the secret lives only in this process's memory and is consumed by the first successful use.
/// </summary>
public sealed class FirstRunSetup(IDbContextFactory<ControlPlaneDbContext> contexts)
{
    private readonly Lock _gate = new();
    private string? _token;

    public async Task<bool> IsRequiredAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return !await db.Users.AnyAsync(ct);
    }

    /// <summary>Creates (or returns) the setup secret; null once any user exists.</summary>
    public async Task<string?> GetOrCreateTokenAsync(CancellationToken ct = default)
    {
        if (!await IsRequiredAsync(ct))
            return null;
        lock (_gate)
            return _token ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    }

    public bool IsValidToken(string? token)
    {
        lock (_gate)
            return _token is not null && token is not null &&
                   CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(_token), System.Text.Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Creates the first admin; the token is spent even if a concurrent request got there first.</summary>
    public async Task<UserSummary> CreateFirstAdminAsync(string token, string userName, string email, string password, UserAdministration users, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!IsValidToken(token))
                throw new ForbiddenException("This setup link is not valid any more. Restart the server to get a new one if no user exists.");
            _token = null;
        }
        if (!await IsRequiredAsync(ct))
            throw new ConflictException("Setup is already complete; sign in instead.");
        try
        {
            return await users.CreateUserAsync(new NewUser(userName, email, password, [ControlPlaneRoles.Admin]), ct, "first-run setup link");
        }
        catch (ValidationException)
        {
            // A rejected password or name should not burn the link: hand the same secret back.
            lock (_gate)
                _token ??= token;
            throw;
        }
    }
}
