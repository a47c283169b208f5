using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record MeResponse(string UserName, string? Email, IReadOnlyList<string> Roles);

public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", GetMeAsync).RequireAuthorization().WithTags("Auth").WithName("GetMe")
            .WithSummary("The caller's user name, e-mail and roles.");
        return routes;
    }

    public static async Task<Ok<MeResponse>> GetMeAsync(UserAdministration users, CancellationToken ct)
    {
        var me = await users.GetCurrentAsync(ct);
        return TypedResults.Ok(new MeResponse(me.UserName, me.Email, me.Roles));
    }
}
