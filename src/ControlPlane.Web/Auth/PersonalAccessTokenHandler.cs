using System.Security.Claims;
using System.Text.Encodings.Web;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer cpat_…</c> against the stored token hashes. The resulting principal is
/// cached briefly (token lookup, roles and claims are several queries): a revocation, disable or role change in
/// this process invalidates every entry at once through <see cref="SecurityGeneration"/>; other instances pick it
/// up within <see cref="CacheLifetime"/>.
/// </summary>
internal sealed class PersonalAccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessTokenService tokens,
    IUserClaimsPrincipalFactory<ControlPlaneUser> principals,
    IMemoryCache cache,
    SecurityGeneration generation,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(15);

    private sealed record CachedPrincipal(ClaimsPrincipal Principal, long Generation, DateTime ExpiresAtUtc);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Only bearer tokens are accepted.");
        var secret = header["Bearer".Length..].Trim();
        var key = "pat:" + AccessTokenService.Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        if (cache.TryGetValue(key, out CachedPrincipal? hit) && hit!.Generation == generation.Current && hit.ExpiresAtUtc > now)
            return Success(hit.Principal);

        var seen = generation.Current;
        if (await tokens.AuthenticateTokenAsync(secret, Context.RequestAborted) is not { } token)
        {
            var (tokenId, why) = await tokens.ExplainRefusalAsync(secret, Context.RequestAborted);
            await AccessDeniedAudit.RecordTokenRefusedAsync(Context, tokenId, why);
            return AuthenticateResult.Fail("The bearer token is unknown, expired or revoked.");
        }
        var principal = await principals.CreateAsync(token.User);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(ClaimTypes.AuthenticationMethod, AuthSchemes.PersonalAccessToken));
        WithScopes(identity, token);
        var until = token.ExpiresAtUtc < now + CacheLifetime ? token.ExpiresAtUtc : now + CacheLifetime;
        cache.Set(key, new CachedPrincipal(principal, seen, until), CacheLifetime);
        return Success(principal);
    }

    /// <summary>
    /// The token's scopes and models as claims (the domain's actor reads them). Without the admin scope the Admin
    /// role is taken off: endpoint policies and services then see the user's other roles only.
    /// </summary>
    private static void WithScopes(ClaimsIdentity identity, AuthenticatedToken token)
    {
        foreach (var scope in TokenScopeNames.Of(token.Scopes))
            identity.AddClaim(new Claim(ControlPlane.Domain.Common.Actor.ScopeClaim, scope));
        foreach (var model in token.Models ?? [])
            identity.AddClaim(new Claim(ControlPlane.Domain.Common.Actor.ModelClaim, model));
        if (!token.Scopes.HasFlag(TokenScopes.Admin))
            foreach (var admin in identity.FindAll(c => c.Type == identity.RoleClaimType && c.Value == ControlPlaneRoles.Admin).ToList())
                identity.RemoveClaim(admin);
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required.",
            "Send a valid personal access token as 'Authorization: Bearer <token>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await AccessDeniedAudit.RecordAsync(Context);
        await ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden.", "Your roles do not allow this.");
    }
}
