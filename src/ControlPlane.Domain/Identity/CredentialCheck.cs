using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Domain.Identity;

/// <summary>
/// Checks a user name (or e-mail) and password the way sign-in does. Every failure gets the same answer after the same
/// work (a password hash is verified for unknown, disabled and locked-out accounts too), so accounts cannot be told
/// apart; failures count toward lockout and are audited with the real reason; attempts per account are throttled.
/// </summary>
public static class CredentialCheck
{
    public const string InvalidCredentials = "The user name or password is wrong.";

    /// <summary>Verified for unknown accounts, so they cost what known ones cost.</summary>
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<ControlPlaneUser>().HashPassword(new ControlPlaneUser(), Guid.NewGuid().ToString()));

    public static async Task<ControlPlaneUser> VerifyAsync(UserManager<ControlPlaneUser> users, AuditLog audit, SignInThrottle throttle, string userNameOrEmail, string password)
    {
        throttle.Take(userNameOrEmail);
        var user = await users.FindByNameAsync(userNameOrEmail) ?? await users.FindByEmailAsync(userNameOrEmail);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new ControlPlaneUser(), DummyHash.Value, password);
            throw await FailAsync(audit, null, userNameOrEmail, "unknown user", InvalidCredentials);
        }
        var passwordRight = await users.CheckPasswordAsync(user, password);
        if (user.IsDisabled)
            throw await FailAsync(audit, user, userNameOrEmail, "account disabled", InvalidCredentials);
        if (await users.IsLockedOutAsync(user))
            throw await FailAsync(audit, user, userNameOrEmail, "account locked out", InvalidCredentials);
        if (!passwordRight)
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            throw await FailAsync(audit, user, userNameOrEmail, locked ? "wrong password; account now locked out" : "wrong password", InvalidCredentials);
        }
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }

    /// <summary>
    /// Records a failed sign-in. What was typed is echoed only when it named a real user: an unknown "user name" is
    /// often a password typed into the wrong field.
    /// </summary>
    public static async Task<AuthenticationFailedException> FailAsync(AuditLog audit, ControlPlaneUser? user, string attempted, string why, string message)
    {
        var name = attempted.Length > 128 ? attempted[..128] : attempted;
        await audit.RecordAsync(AuditActions.LoginFailed, "user", user?.Id, reason: user is null ? why : $"{why} (as '{name}')");
        return new AuthenticationFailedException(message);
    }
}
