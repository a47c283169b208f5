using MaxLengthAttribute = System.ComponentModel.DataAnnotations.MaxLengthAttribute;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

/// <param name="Scopes">read, write, ingest, admin; left out: all of them (within the user's roles).</param>
/// <param name="Models">The models the token is limited to; left out: every model.</param>
public sealed record IssueTokenRequest([property: MaxLength(256)] string UserName, [property: MaxLength(256)] string Password, [property: MaxLength(128)] string Name, int? ExpiresInDays,
    [property: MaxLength(16)] IReadOnlyList<string>? Scopes = null, [property: MaxLength(128)] IReadOnlyList<string>? Models = null);

/// <param name="Scopes">read, write, ingest, admin; left out: the caller's own (a token cannot make a wider one).</param>
public sealed record CreateTokenRequest([property: MaxLength(128)] string Name, int? ExpiresInDays,
    [property: MaxLength(16)] IReadOnlyList<string>? Scopes = null, [property: MaxLength(128)] IReadOnlyList<string>? Models = null);

public sealed record IssuedTokenResponse(Guid Id, string Token, string Name, DateTime ExpiresAt, IReadOnlyList<string> Scopes, IReadOnlyList<string>? Models);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/auth/tokens").WithTags("Auth");
        api.MapPost("/", IssueTokenAsync).AllowAnonymous().WithName("IssueToken")
            .WithSummary("Exchange a user name and password for a personal access token (shown once). Failures count toward lockout.");
        api.MapGet("/", ListTokensAsync).RequireAuthorization().WithName("ListTokens")
            .WithSummary("The caller's tokens (never their secrets).");
        api.MapPost("/mine", CreateTokenAsync).RequireAuthorization().WithName("CreateToken")
            .WithSummary("Create another token for the signed-in caller.");
        api.MapDelete("/{id:guid}", RevokeTokenAsync).RequireAuthorization().WithName("RevokeToken")
            .WithSummary("Revoke one of the caller's tokens.");
        return routes;
    }

    public static async Task<Created<IssuedTokenResponse>> IssueTokenAsync(IssueTokenRequest request, AccessTokenService tokens, CancellationToken ct)
    {
        var issued = await tokens.IssueWithPasswordAsync(request.UserName, request.Password, request.Name, request.ExpiresInDays,
            new TokenGrant(TokenScopeNames.Parse(request.Scopes), request.Models), ct);
        return TypedResults.Created($"/api/v1/auth/tokens/{issued.Id}", ToResponse(issued));
    }

    public static async Task<Created<IssuedTokenResponse>> CreateTokenAsync(CreateTokenRequest request, AccessTokenService tokens, CancellationToken ct)
    {
        var scopes = request.Scopes is null ? (TokenScopes?)null : TokenScopeNames.Parse(request.Scopes);
        var issued = await tokens.CreateForCurrentUserAsync(request.Name, request.ExpiresInDays, scopes, request.Models, ct);
        return TypedResults.Created($"/api/v1/auth/tokens/{issued.Id}", ToResponse(issued));
    }

    public static async Task<Ok<IReadOnlyList<AccessTokenInfo>>> ListTokensAsync(AccessTokenService tokens, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListForCurrentUserAsync(ct));

    public static async Task<NoContent> RevokeTokenAsync(Guid id, AccessTokenService tokens, CancellationToken ct)
    {
        await tokens.RevokeAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static IssuedTokenResponse ToResponse(IssuedToken t) => new(t.Id, t.Token, t.Name, t.ExpiresAt, t.Scopes, t.Models);
}
