using MaxLengthAttribute = System.ComponentModel.DataAnnotations.MaxLengthAttribute;
using ControlPlane.Domain.Identity.Oidc;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record GroupMappingItem([property: MaxLength(OidcGroupMappings.MaxGroupLength)] string Group, [property: MaxLength(64)] string Role);

/// <param name="Mappings">The whole set: what is not listed is removed.</param>
public sealed record GroupMappingsRequest([property: MaxLength(OidcGroupMappings.MaxMappings)] IReadOnlyList<GroupMappingItem> Mappings);

public sealed record GroupMappingsResponse(IReadOnlyList<GroupMappingView> Mappings);

public static class OidcGroupMappingsApi
{
    public static IEndpointRouteBuilder MapOidcGroupMappingsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin/oidc/group-mappings").WithTags("Admin").RequireAuthorization(Policies.Admin);
        api.MapGet("/", ListAsync).WithName("ListOidcGroupMappings")
            .WithSummary("Which identity-provider groups grant which roles (single sign-on).");
        api.MapPut("/", ReplaceAsync).WithName("ReplaceOidcGroupMappings")
            .WithSummary("Replace the group → role mappings; users' roles follow at their next sign-in. Audited.");
        return routes;
    }

    public static async Task<Ok<GroupMappingsResponse>> ListAsync(OidcGroupMappings mappings, CancellationToken ct) =>
        TypedResults.Ok(new GroupMappingsResponse(await mappings.ListAsync(ct)));

    public static async Task<Ok<GroupMappingsResponse>> ReplaceAsync(GroupMappingsRequest request, OidcGroupMappings mappings, CancellationToken ct) =>
        TypedResults.Ok(new GroupMappingsResponse(await mappings.ReplaceAsync(
            request.Mappings?.Select(m => new GroupMappingView(m?.Group!, m?.Role!)).ToList()!, ct)));
}
