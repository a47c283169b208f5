using System.Security.Claims;
using ControlPlane.Domain.Identity.Oidc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace ControlPlane.Web.Auth;

/// <summary>Browser endpoints that send the user to the identity provider: to sign in, and to sign in again before a signature.</summary>
internal static class OidcEndpoints
{
    public static IEndpointRouteBuilder MapOidcEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/account/sso", SignIn).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet("/account/reauthenticate", ReauthenticateAsync).RequireAuthorization().ExcludeFromDescription();
        return routes;
    }

    /// <summary>
    /// The sign-in page's "Sign in with …" button. A GET is safe here: whoever starts it, the provider signs in the
    /// browser's own user (a forged start cannot plant another account), and the handler's state and nonce bind the answer.
    /// </summary>
    public static IResult SignIn(OidcOptions settings, string? returnUrl) =>
        settings.IsConfigured
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = OidcCallback.LocalUrl(returnUrl) }, [OidcRegistration.Scheme])
            : TypedResults.NotFound();

    /// <summary>
    /// Starts a signature's re-authentication: the provider must ask for the password again (<c>prompt=login</c>,
    /// <c>max_age=0</c>); the start time and the user travel in the protected state and are checked on return.
    /// </summary>
    public static async Task<IResult> ReauthenticateAsync(HttpContext http, OidcOptions settings, OidcSignIns signIns, TimeProvider time, string? returnUrl)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!settings.IsConfigured || userId is null || await signIns.LinkOfAsync(userId) is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a user of the identity provider.",
                detail: "Only users who sign in through the identity provider re-authenticate there; sign with your password.");
        var properties = new OpenIdConnectChallengeProperties
        {
            RedirectUri = OidcCallback.LocalUrl(returnUrl),
            Prompt = "login",
            MaxAge = TimeSpan.Zero,
        };
        properties.Items[OidcCallback.ReauthUserItem] = userId;
        properties.Items[OidcCallback.ReauthStartedItem] = time.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Challenge(properties, [OidcRegistration.Scheme]);
    }
}
