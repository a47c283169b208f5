using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Governance;

/// <summary>The password typed again at the moment of signing: checked like a sign-in, failures counted toward lockout and audited.</summary>
internal static class SigningPassword
{
    public static async Task<ControlPlaneUser> VerifyAsync(IServiceScopeFactory scopes, AuditLog audit, Actor caller, string? password, Guid requestId, CancellationToken ct)
    {
        // UserManager holds a scoped DbContext: take it for this check only, never for a circuit's lifetime.
        await using var scope = OperationScope.Begin(scopes, caller);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var user = await users.FindByIdAsync(caller.RequireUserId()) ?? throw new ForbiddenException("Your account no longer exists.");
        if (user.IsDisabled)
            throw new ForbiddenException("This account is disabled.");
        if (await users.IsLockedOutAsync(user))
            throw new AuthenticationFailedException("This account is locked after too many failed password attempts; try again later. Nothing was signed.");
        if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            await audit.RecordAsync(AuditActions.SignatureFailed, "promotionRequest", requestId.ToString(),
                reason: locked ? "wrong password at signing; account now locked out" : "wrong password at signing", ct: ct);
            throw new AuthenticationFailedException(locked
                ? "The password is wrong and the account is now locked. Nothing was signed."
                : "The password is wrong. Nothing was signed.");
        }
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }
}
