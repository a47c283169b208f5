using System.Security.Claims;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Oidc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Web.Auth;

/// <summary>
/// What happens when the identity provider sends the browser back: a sign-in (find or create the user, recompute
/// roles, set the application cookie, or refuse) or a re-authentication for a signature (check it, seal it, hand it
/// to the signing page). The provider's answer was validated by the handler already (state, nonce, PKCE, ID token).
/// </summary>
internal static class OidcCallback
{
    /// <summary>Items of the challenge's properties (carried, protected, through the provider and back).</summary>
    public const string ReauthUserItem = "cp.reauth.user", ReauthStartedItem = "cp.reauth.started";
    public const string DeniedPath = "/account/sso-denied";

    public static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        context.HandleResponse(); // the handler's own sign-in (an external cookie) is never wanted
        var http = context.HttpContext;
        var settings = http.RequestServices.GetRequiredService<OidcOptions>();
        var principal = context.Principal!;
        var issuer = principal.FindFirstValue("iss");
        var subject = principal.FindFirstValue("sub");
        if (issuer is null || subject is null)
        {
            http.Response.Redirect("/account/login?ssoError=1");
            return;
        }
        using var origin = AuditAmbient.UseOrigin(AccessDeniedAudit.OriginOf(http));
        if (context.Properties?.Items.TryGetValue(ReauthUserItem, out var userId) == true && userId is not null)
            await ReauthenticatedAsync(context, settings, issuer, subject, userId);
        else
            await SignedInAsync(context, settings, issuer, subject);
    }

    private static async Task SignedInAsync(TicketReceivedContext context, OidcOptions settings, string issuer, string subject)
    {
        var http = context.HttpContext;
        var principal = context.Principal!;
        var groups = principal.FindAll(settings.GroupsClaim).Select(c => c.Value).ToList();
        var who = new ExternalIdentity(issuer, subject, principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("name"),
            principal.FindFirstValue("email"), groups);
        ControlPlaneUser user;
        try
        {
            user = await http.RequestServices.GetRequiredService<OidcSignIns>().SignInAsync(who, http.RequestAborted);
        }
        catch (ForbiddenException)
        {
            // Refused and audited (auth.sign_in_denied, or auth.login_failed for a disabled account); nothing can act as them.
            http.Response.Redirect(DeniedPath);
            return;
        }
        await http.RequestServices.GetRequiredService<SignInManager<ControlPlaneUser>>().SignInAsync(user, isPersistent: false, authenticationMethod: OidcRegistration.Scheme);
        http.Response.Redirect(LocalUrl(context.ReturnUri));
    }

    private static async Task ReauthenticatedAsync(TicketReceivedContext context, OidcOptions settings, string issuer, string subject, string userId)
    {
        var http = context.HttpContext;
        var returnUrl = LocalUrl(context.ReturnUri);
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        // The signing user is the one whose cookie came back with the provider's answer, and the one who started it.
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var cookieUserId = cookie.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var started = context.Properties!.Items.TryGetValue(ReauthStartedItem, out var startedText) && long.TryParse(startedText, out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : DateTime.MaxValue;
        var authTime = long.TryParse(context.Principal!.FindFirstValue("auth_time"), out var seconds) ? DateTime.UnixEpoch.AddSeconds(seconds) : DateTime.MinValue;
        var proof = new IdpReauthentication(userId, issuer, subject, authTime, started);
        var link = cookieUserId is null ? null : await services.GetRequiredService<OidcSignIns>().LinkOfAsync(cookieUserId);
        var why = link is null
            ? "Your account is not linked to the identity provider."
            : proof.WhyNot(cookieUserId, link.LoginProvider, link.ProviderKey, now, settings.SignatureMaxAge);
        if (why is not null)
        {
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditActions.SignatureFailed, "user", cookieUserId,
                $"identity provider re-authentication refused: {why}", ct: http.RequestAborted);
            http.Response.Redirect(WithQuery(returnUrl, "reauthError", why));
            return;
        }
        http.Response.Redirect(WithQuery(returnUrl, "reauth", services.GetRequiredService<IdpReauthentications>().Seal(proof)));
    }

    public static Task RemoteFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcCallback));
        log.LogWarning(context.Failure, "Sign-in at the identity provider failed");
        context.Response.Redirect("/account/login?ssoError=1");
        return Task.CompletedTask;
    }

    /// <summary>Only paths on this site: a return URL never sends the browser elsewhere.</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";

    private static string WithQuery(string url, string key, string value) =>
        $"{url}{(url.Contains('?') ? '&' : '?')}{key}={Uri.EscapeDataString(value)}";
}
