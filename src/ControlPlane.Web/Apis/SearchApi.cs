using ControlPlane.Domain.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/search", SearchAsync).WithTags("Search").RequireAuthorization()
            .WithName("Search").WithSummary("Models, datasets and drift monitors whose name contains q, grouped by kind (limit per kind, at most 20).");
        return routes;
    }

    public static async Task<Ok<SearchResults>> SearchAsync(GlobalSearch search, CancellationToken ct, string? q = null, int limit = 5) =>
        TypedResults.Ok(await search.SearchAsync(q, limit, ct));
}
