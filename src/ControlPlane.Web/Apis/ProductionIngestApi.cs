using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Production.Ingest;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Apis;

/// <summary>
/// Prediction records and actuals from serving apps. The ingest scope is enough (an ingest-only token reads and changes
/// nothing else); the service checks the scope, the token's models and the sender's role again.
/// </summary>
public static class ProductionIngestApi
{
    public static IEndpointRouteBuilder MapProductionIngestApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/models").WithTags("Production").RequireAuthorization();
        api.MapPost("/{name}/predictions", PredictionsAsync).WithName("IngestPredictions").RequiresScope(TokenScopes.Ingest).DisableAntiforgery()
            .Accepts<object>(IngestFormats.Json, IngestFormats.NdJson, IngestFormats.JsonLines, IngestFormats.Arrow)
            .WithSummary("A batch of prediction records: JSON array, JSON Lines or an Arrow IPC stream. Each record is checked alone; the answer counts accepted and rejected.");
        api.MapPost("/{name}/actuals", ActualsAsync).WithName("IngestActuals").RequiresScope(TokenScopes.Ingest).DisableAntiforgery()
            .Accepts<object>(IngestFormats.Json, IngestFormats.NdJson, IngestFormats.JsonLines, IngestFormats.Arrow)
            .WithSummary("A batch of actuals (ground truth), joined to predictions by predictionId whenever both are there.");
        return routes;
    }

    public static Task<Results<Ok<IngestResult>, ProblemHttpResult>> PredictionsAsync(string name, HttpContext http, TelemetryIngest ingest, IOptions<ProductionOptions> options, CancellationToken ct) =>
        IngestAsync(name, TelemetryKind.Predictions, http, ingest, options.Value, ct);

    public static Task<Results<Ok<IngestResult>, ProblemHttpResult>> ActualsAsync(string name, HttpContext http, TelemetryIngest ingest, IOptions<ProductionOptions> options, CancellationToken ct) =>
        IngestAsync(name, TelemetryKind.Actuals, http, ingest, options.Value, ct);

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> IngestAsync(string name, TelemetryKind kind, HttpContext http, TelemetryIngest ingest, ProductionOptions options, CancellationToken ct)
    {
        if (IngestFormats.Parse(http.Request.ContentType) is not { } format)
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.",
                detail: $"Send the batch as one of {string.Join(", ", IngestFormats.MediaTypes)}.");
        // The service enforces the configured limit itself with a 413 ProblemDetails; Kestrel's own default must not cut in first.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = options.MaxBodyBytes + 1;
        return TypedResults.Ok(await ingest.IngestAsync(name, kind, format, http.Request.Body, http.Request.ContentLength, ct));
    }
}
