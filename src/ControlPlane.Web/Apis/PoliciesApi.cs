using ControlPlane.Domain.Governance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class PoliciesApi
{
    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/policies").WithTags("Governance").RequireAuthorization();
        api.MapGet("/", ListAsync).WithName("ListPolicies").WithSummary("The global default and every model's own policy (latest versions).");
        api.MapGet("/global", GetGlobalAsync).WithName("GetGlobalPolicy").WithSummary("The global default policy in force.");
        api.MapPut("/global", SaveGlobalAsync).WithName("SaveGlobalPolicy").WithSummary("Save the next version of the global policy with a reason (Admin); pending requests it governs are invalidated.");
        api.MapGet("/global/history", GlobalHistoryAsync).WithName("GetGlobalPolicyHistory").WithSummary("Every version of the global policy.");
        api.MapGet("/models/{name}", GetAsync).WithName("GetModelPolicy").WithSummary("The policy in force for a model (its own, else the global default).");
        api.MapPut("/models/{name}", SaveAsync).WithName("SaveModelPolicy").WithSummary("Save the next version of a model's own policy with a reason (Admin).");
        api.MapGet("/models/{name}/history", HistoryAsync).WithName("GetModelPolicyHistory").WithSummary("Every version of a model's own policy.");
        return routes;
    }

    public static async Task<Ok<IReadOnlyList<PolicyView>>> ListAsync(PromotionPolicies policies, CancellationToken ct) => TypedResults.Ok(await policies.ListAsync(ct));

    public static async Task<Ok<PolicyView>> GetGlobalAsync(PromotionPolicies policies, CancellationToken ct) => TypedResults.Ok(await policies.GetAsync(null, ct));

    public static async Task<Ok<PolicyView>> SaveGlobalAsync(PolicySaveRequest request, PromotionPolicies policies, CancellationToken ct) =>
        TypedResults.Ok(await policies.SaveAsync(null, request, ct));

    public static async Task<Ok<IReadOnlyList<PolicyView>>> GlobalHistoryAsync(PromotionPolicies policies, CancellationToken ct) =>
        TypedResults.Ok(await policies.HistoryAsync(null, ct));

    public static async Task<Ok<PolicyView>> GetAsync(string name, PromotionPolicies policies, CancellationToken ct) => TypedResults.Ok(await policies.GetAsync(name, ct));

    public static async Task<Ok<PolicyView>> SaveAsync(string name, PolicySaveRequest request, PromotionPolicies policies, CancellationToken ct) =>
        TypedResults.Ok(await policies.SaveAsync(name, request, ct));

    public static async Task<Ok<IReadOnlyList<PolicyView>>> HistoryAsync(string name, PromotionPolicies policies, CancellationToken ct) =>
        TypedResults.Ok(await policies.HistoryAsync(name, ct));
}
