using ControlPlane.Domain.Common;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record CompareEvaluationsRequest(Guid Candidate, Guid Baseline, List<MetricThreshold>? Gates);

public static class EvaluationsApi
{
    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/evaluations").WithTags("Evaluations").RequireAuthorization();
        api.MapPost("/", RequestAsync).WithName("RequestEvaluation")
            .WithSummary("Queue an evaluation of a model version on a dataset version (DataScientist, Admin). 202 with the run; poll it or watch the page.");
        api.MapGet("/", ListAsync).WithName("ListEvaluations").WithSummary("Evaluations, newest first, optionally of one model (?model=) or model version (&version=).");
        api.MapPost("/compare", CompareAsync).RequiresScope(ControlPlane.Domain.Identity.TokenScopes.Read).WithName("CompareEvaluations")
            .WithSummary("Candidate vs baseline evaluation on the same dataset version: metric deltas and MLflow-style gates (threshold, minAbsoluteChange, minRelativeChange, greaterIsBetter).");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetEvaluation").WithSummary("One evaluation: status, progress, metrics, curves, provenance.");
        return routes;
    }

    public static async Task<Accepted<EvaluationView>> RequestAsync(EvaluationRequest request, EvaluationService evaluations, CancellationToken ct)
    {
        var run = await evaluations.RequestAsync(request, ct);
        return TypedResults.Accepted($"/api/v1/evaluations/{run.Id}", run);
    }

    public static async Task<Ok<Page<EvaluationView>>> ListAsync(EvaluationService evaluations, CancellationToken ct,
        string? model = null, int? version = null, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await evaluations.ListAsync(new PageRequest(page, pageSize), model, version, ct));

    public static async Task<Ok<EvaluationComparison>> CompareAsync(CompareEvaluationsRequest request, EvaluationService evaluations, CancellationToken ct) =>
        TypedResults.Ok(await evaluations.CompareAsync(request.Candidate, request.Baseline, request.Gates, ct));

    public static async Task<Ok<EvaluationView>> GetAsync(Guid id, EvaluationService evaluations, CancellationToken ct) =>
        TypedResults.Ok(await evaluations.GetAsync(id, ct));
}
