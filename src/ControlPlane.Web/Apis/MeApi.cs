using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

/// <param name="Roles">The roles this call acts with (a token without the admin scope acts without Admin).</param>
/// <param name="Scopes">The calling token's scopes; null for a browser session.</param>
/// <param name="Models">The models the calling token is limited to; null for every model.</param>
public sealed record MeResponse(string UserName, string? Email, IReadOnlyList<string> Roles, IReadOnlyList<string>? Scopes = null, IReadOnlyList<string>? Models = null);

public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", GetMeAsync).RequireAuthorization().WithTags("Auth").WithName("GetMe")
            .WithSummary("The caller's user name, e-mail, roles and (for a token) scopes and models.");
        return routes;
    }

    public static async Task<Ok<MeResponse>> GetMeAsync(UserAdministration users, ControlPlane.Domain.Common.IActorContext actor, CancellationToken ct)
    {
        var me = await users.GetCurrentAsync(ct);
        var acting = actor.Current;
        return TypedResults.Ok(new MeResponse(me.UserName, me.Email, [.. me.Roles.Where(acting.IsInRole)],
            acting.Scopes is { } scopes ? TokenScopeNames.Of(scopes) : null, acting.Models?.Order(StringComparer.Ordinal).ToList()));
    }
}
