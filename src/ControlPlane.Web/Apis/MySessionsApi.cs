using ControlPlane.Domain.Identity.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Apis;

public static class MySessionsApi
{
    public static IEndpointRouteBuilder MapMySessionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/me/sessions").WithTags("Auth").RequireAuthorization();
        api.MapGet("/", ListAsync).WithName("ListMySessions")
            .WithSummary("Your signed-in browser sessions that are neither revoked nor idle, newest first; 'current' marks the one calling.");
        api.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeMySession")
            .WithSummary("Sign one of your sessions out (audited). Another user's session is a 404.");
        return routes;
    }

    public static async Task<Ok<IReadOnlyList<UserSessionView>>> ListAsync(UserSessions sessions, IOptions<Auth.SessionOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await sessions.ListMineAsync(options.Value.IdleTimeout, ct));

    public static async Task<NoContent> RevokeAsync(Guid id, UserSessions sessions, CancellationToken ct)
    {
        await sessions.RevokeMineAsync(id, ct);
        return TypedResults.NoContent();
    }
}
