using ControlPlane.Domain.Common;
using ControlPlane.Domain.Comparisons;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class ComparisonsApi
{
    public static IEndpointRouteBuilder MapComparisonsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/models/{name}/comparisons").WithTags("Champion/challenger").RequireAuthorization();
        api.MapPost("/", RequestAsync).WithName("RequestComparison")
            .WithSummary("Compare a challenger (version or alias, default alias 'challenger') with the champion on live traffic over whole hours [from, to): queues the job (202).");
        api.MapGet("/", ListAsync).WithName("ListComparisons").WithSummary("The model's champion/challenger comparisons, newest first, paged.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetComparison").WithSummary("One comparison with its result once it succeeded.");
        return routes;
    }

    public static async Task<Accepted<ComparisonView>> RequestAsync(string name, ComparisonRequest request, ChallengerComparisons comparisons, CancellationToken ct)
    {
        var comparison = await comparisons.RequestAsync(name, request, ct);
        return TypedResults.Accepted($"/api/v1/models/{Uri.EscapeDataString(comparison.Model)}/comparisons/{comparison.Id}", comparison);
    }

    public static async Task<Ok<Page<ComparisonView>>> ListAsync(string name, ChallengerComparisons comparisons, CancellationToken ct, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await comparisons.ListAsync(name, new PageRequest(page, pageSize), ct));

    public static async Task<Ok<ComparisonView>> GetAsync(string name, Guid id, ChallengerComparisons comparisons, CancellationToken ct) =>
        TypedResults.Ok(await comparisons.GetAsync(name, id, ct));
}
