using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Domain.Identity;

/// <summary>Checks a user name (or e-mail) and password the way sign-in does: disabled and locked-out users fail, failures count toward lockout.</summary>
public static class CredentialCheck
{
    public static async Task<ControlPlaneUser> VerifyAsync(UserManager<ControlPlaneUser> users, string userNameOrEmail, string password)
    {
        const string invalid = "The user name or password is wrong.";
        var user = await users.FindByNameAsync(userNameOrEmail) ?? await users.FindByEmailAsync(userNameOrEmail);
        if (user is null)
            throw new AuthenticationFailedException(invalid);
        if (user.IsDisabled)
            throw new AuthenticationFailedException("This account is disabled.");
        if (await users.IsLockedOutAsync(user))
            throw new AuthenticationFailedException("This account is locked after too many failed sign-ins; try again later.");
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            throw new AuthenticationFailedException(invalid);
        }
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }
}
