using System.Security.Claims;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Ties the sign-in cookie to a server-side session (<see cref="UserSessions"/>). Every sign-in, by password or any
/// other scheme that ends in this cookie, passes <see cref="SigningInAsync"/>, which starts the session and puts its id
/// in the cookie; every request with the cookie passes <see cref="ValidateAsync"/>, which refuses a revoked or idle
/// session before Identity's security-stamp check runs; sign-out ends it.
/// </summary>
internal static class SessionCookieEvents
{
    public static void Attach(CookieAuthenticationEvents events)
    {
        var stampCheck = events.OnValidatePrincipal;
        events.OnSigningIn = SigningInAsync;
        events.OnValidatePrincipal = async context =>
        {
            if (await ValidateAsync(context))
                await stampCheck(context);
        };
        events.OnSigningOut = SigningOutAsync;
    }

    /// <summary>Identity's minute stamp check builds a fresh principal: it keeps the session it came with.</summary>
    public static Task KeepSessionAsync(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(Actor.SessionClaim) is { } session && context.NewPrincipal?.Identity is ClaimsIdentity identity)
            identity.AddClaim(new Claim(Actor.SessionClaim, session.Value));
        return Task.CompletedTask;
    }

    private static async Task SigningInAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.FindFirst(Actor.SessionClaim) is not null)
            return;
        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? throw new InvalidOperationException("A signed-in principal has no user id.");
        var http = context.HttpContext;
        // Signing in again while signed in (Identity's refresh after a change of one's own account) keeps the session.
        var current = http.User.FindFirst(ClaimTypes.NameIdentifier)?.Value == userId ? SessionOf(http.User) : null;
        var id = current ?? await http.RequestServices.GetRequiredService<UserSessions>()
            .StartAsync(userId, http.Request.Headers.UserAgent.ToString(), http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        identity.AddClaim(new Claim(Actor.SessionClaim, id.ToString()));
    }

    private static async Task<bool> ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var userId = principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var http = context.HttpContext;
        var services = http.RequestServices;
        // A cookie without a session (issued before sessions existed) is refused like a revoked one: sign in again.
        if (userId is not null && SessionOf(principal!) is { } id)
        {
            var idle = services.GetRequiredService<IOptions<SessionOptions>>().Value.IdleTimeout;
            if (await services.GetRequiredService<UserSessions>().IsActiveAsync(id, userId, null, idle, http.RequestAborted))
                return true;
        }
        context.RejectPrincipal();
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return false;
    }

    private static async Task SigningOutAsync(CookieSigningOutContext context)
    {
        var user = context.HttpContext.User;
        if (user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } userId && SessionOf(user) is { } id)
            await context.HttpContext.RequestServices.GetRequiredService<UserSessions>().EndAsync(id, userId, CancellationToken.None);
    }

    public static Guid? SessionOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(Actor.SessionClaim)?.Value, out var id) ? id : null;
}
