using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Production;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

/// <summary>Reports from serving apps about versions they could not load; the serving app's ingest token is enough.</summary>
public static class ServingReportsApi
{
    public static IEndpointRouteBuilder MapServingReportsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/models").WithTags("Production").RequireAuthorization()
            .MapPost("/{name}/versions/{version:int}/load-failures", ReportAsync).WithName("ReportLoadFailure").RequiresScope(TokenScopes.Ingest)
            .WithSummary("A serving app could not download, verify or load this version and kept serving the one before: recorded on the version's trail, notified and sent to webhooks (once per instance and hour).");
        return routes;
    }

    public static async Task<Accepted<LoadFailureReceipt>> ReportAsync(string name, int version, LoadFailureReport report, LoadFailureReports reports, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await reports.ReportAsync(name, version, report, ct));
}
