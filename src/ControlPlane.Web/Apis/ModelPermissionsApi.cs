using ControlPlane.Domain.Registry.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class ModelPermissionsApi
{
    public static IEndpointRouteBuilder MapModelPermissionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/models/{name}/permissions").WithTags("Models").RequireAuthorization();
        api.MapGet("/", GetAsync).WithName("GetModelPermissions")
            .WithSummary("The model's owners and, per action (registerVersions, moveAliases, editMonitors, editSpecs), who may take it.");
        api.MapPut("/", SetAsync).WithName("SetModelPermissions")
            .WithSummary("Replace the owners and rules (owners and admins); an action left out is unrestricted. A stale concurrencyStamp is a 409.");
        return routes;
    }

    public static async Task<Ok<ModelPermissionsView>> GetAsync(string name, ModelPermissions permissions, CancellationToken ct) =>
        TypedResults.Ok(await permissions.GetAsync(name, ct));

    public static async Task<Ok<ModelPermissionsView>> SetAsync(string name, ModelPermissionsRequest request, ModelPermissions permissions, CancellationToken ct) =>
        TypedResults.Ok(await permissions.SetAsync(name, request, ct));
}
