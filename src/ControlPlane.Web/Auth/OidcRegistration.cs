using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ControlPlane.Web.Auth;

/// <summary>The OpenID Connect scheme, added only when <c>ControlPlane:Oidc:Authority</c> is set.</summary>
internal static class OidcRegistration
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/signin-oidc";

    public static AuthenticationBuilder AddControlPlaneOidc(this AuthenticationBuilder auth, OidcOptions settings)
    {
        auth.Services.AddSingleton(settings);
        if (!settings.IsConfigured)
            return auth;
        return auth.AddOpenIdConnect(Scheme, settings.DisplayName, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code; // authorization code flow
            o.UsePkce = true;
            // The code comes back on a top-level GET, so the correlation and nonce cookies can be SameSite=Lax.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CallbackPath = CallbackPath;
            o.Scope.Clear();
            foreach (var scope in settings.ScopeList)
                o.Scope.Add(scope);
            o.MapInboundClaims = false; // keep "sub", "auth_time" and the groups claim as the provider names them
            o.GetClaimsFromUserInfoEndpoint = true;
            o.ClaimActions.MapJsonKey(settings.GroupsClaim, settings.GroupsClaim); // groups from user info too (arrays become one claim each)
            o.ClaimActions.Remove("iss"); // the user is linked by issuer and subject
            o.SaveTokens = false;
            // Never used: the events below sign the user in with the application cookie themselves, or refuse.
            o.SignInScheme = IdentityConstants.ExternalScheme;
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            o.Events.OnTicketReceived = OidcCallback.TicketReceivedAsync;
            o.Events.OnRemoteFailure = OidcCallback.RemoteFailureAsync;
        });
    }
}
