using System.Security.Claims;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Auth;

/// <summary>
/// An open page (a Blazor circuit) keeps the user it was opened with; without this, a user disabled, signed out
/// everywhere or given other roles would keep acting through a tab left open. Every minute the circuit's user is
/// checked against the database: gone, disabled or a changed security stamp, its session revoked, or idle past
/// <see cref="SessionOptions.IdleTimeout"/>, and the circuit turns anonymous (its actor with it, so services refuse
/// it) and the page sends it to sign in.
/// </summary>
internal sealed class RevalidatingIdentityStateProvider(
    ILoggerFactory logs, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SessionOptions> sessions,
    CircuitActivity activity, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => Interval;

    public static TimeSpan Interval { get; } = TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        IsValidAsync(state);

    /// <summary>The minute check: not idle too long, its session not revoked, and still the user as stored.</summary>
    public async Task<bool> IsValidAsync(AuthenticationState state) =>
        time.GetUtcNow() - activity.Last <= sessions.Value.IdleTimeout && await IsSessionActiveAsync(state.User) && await IsCurrentAsync(scopes, identity.Value, state.User);

    /// <summary>The page's session is neither revoked nor idle; clicks on the page count as its last use.</summary>
    private async Task<bool> IsSessionActiveAsync(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId || SessionCookieEvents.SessionOf(principal) is not { } id)
            return false;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ControlPlane.Domain.Identity.Sessions.UserSessions>()
            .IsActiveAsync(id, userId, activity.Last.UtcDateTime, sessions.Value.IdleTimeout);
    }

    /// <summary>Whether the principal still matches its user as stored (exists, enabled, same security stamp).</summary>
    public static async Task<bool> IsCurrentAsync(IServiceScopeFactory scopes, IdentityOptions identity, ClaimsPrincipal principal)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
            return false;
        var stamp = principal.FindFirstValue(identity.ClaimsIdentity.SecurityStampClaimType);
        return stamp is not null && stamp == await users.GetSecurityStampAsync(user);
    }
}
