using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Domain.Identity;

/// <summary>
/// Checks a user name (or e-mail) and password the way sign-in does: disabled and locked-out users fail,
/// failures count toward lockout, and every failure is audited.
/// </summary>
public static class CredentialCheck
{
    public const string InvalidCredentials = "The user name or password is wrong.";

    public static async Task<ControlPlaneUser> VerifyAsync(UserManager<ControlPlaneUser> users, AuditLog audit, string userNameOrEmail, string password)
    {
        var user = await users.FindByNameAsync(userNameOrEmail) ?? await users.FindByEmailAsync(userNameOrEmail);
        if (user is null)
            throw await FailAsync(audit, null, userNameOrEmail, "unknown user", InvalidCredentials);
        if (user.IsDisabled)
            throw await FailAsync(audit, user, userNameOrEmail, "account disabled", "This account is disabled.");
        if (await users.IsLockedOutAsync(user))
            throw await FailAsync(audit, user, userNameOrEmail, "account locked out", "This account is locked after too many failed sign-ins; try again later.");
        if (!await users.CheckPasswordAsync(user, password))
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
