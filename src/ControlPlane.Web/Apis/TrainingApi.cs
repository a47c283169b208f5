using ControlPlane.Domain.Common;
using ControlPlane.Domain.Training;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/training").WithTags("Training").RequireAuthorization();
        api.MapGet("/trainers", Trainers).WithName("ListTrainers").WithSummary("The trainers, the tasks each learns, and their hyperparameters with ranges and defaults.");
        api.MapPost("/specs", CreateSpecAsync).WithName("CreateTrainingSpec")
            .WithSummary("Create a training spec for a model: task, label, features, trainer and hyperparameters, validation, seed, data, schedule, drift trigger (DataScientist, Admin). Checked against the dataset schema.");
        api.MapGet("/specs", ListSpecsAsync).WithName("ListTrainingSpecs").WithSummary("Training specs, optionally of one model (?model=), with their last run.");
        api.MapGet("/specs/{id:guid}", GetSpecAsync).WithName("GetTrainingSpec").WithSummary("One training spec.");
        api.MapPut("/specs/{id:guid}", UpdateSpecAsync).WithName("UpdateTrainingSpec")
            .WithSummary("Replace a spec's definition; send the concurrencyStamp you read (409 when someone changed it since).");
        api.MapPost("/specs/{id:guid}/runs", StartRunAsync).WithName("StartTrainingRun").WithSummary("Train now: 202 with the queued run.");
        api.MapGet("/runs", ListRunsAsync).WithName("ListTrainingRuns").WithSummary("Training runs, newest first, optionally of one spec (?spec=).");
        api.MapGet("/runs/{id:guid}", GetRunAsync).WithName("GetTrainingRun").WithSummary("One run: status, phase, progress, metrics, registered version, ONNX export, evaluations.");
        api.MapPost("/runs/{id:guid}/cancel", CancelRunAsync).WithName("CancelTrainingRun")
            .WithSummary("Cancel a run: a queued run at once, a running one at its next check (409 once it has ended).");
        return routes;
    }

    public static Ok<IReadOnlyList<TrainerInfo>> Trainers() => TypedResults.Ok(TrainerCatalog.All);

    public static async Task<Created<TrainingSpecView>> CreateSpecAsync(TrainingSpecRequest request, TrainingService training, CancellationToken ct)
    {
        var spec = await training.CreateSpecAsync(request, ct);
        return TypedResults.Created($"/api/v1/training/specs/{spec.Id}", spec);
    }

    public static async Task<Ok<Page<TrainingSpecView>>> ListSpecsAsync(TrainingService training, CancellationToken ct, string? model = null, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await training.ListSpecsAsync(new PageRequest(page, pageSize), model, ct));

    public static async Task<Ok<TrainingSpecView>> GetSpecAsync(Guid id, TrainingService training, CancellationToken ct) =>
        TypedResults.Ok(await training.GetSpecAsync(id, ct));

    public static async Task<Ok<TrainingSpecView>> UpdateSpecAsync(Guid id, TrainingSpecRequest request, TrainingService training, CancellationToken ct) =>
        TypedResults.Ok(await training.UpdateSpecAsync(id, request, ct));

    public static async Task<Accepted<TrainingRunView>> StartRunAsync(Guid id, TrainingService training, CancellationToken ct)
    {
        var run = await training.StartRunAsync(id, ct);
        return TypedResults.Accepted($"/api/v1/training/runs/{run.Id}", run);
    }

    public static async Task<Ok<Page<TrainingRunView>>> ListRunsAsync(TrainingService training, CancellationToken ct, Guid? spec = null, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await training.ListRunsAsync(new PageRequest(page, pageSize), spec, ct));

    public static async Task<Ok<TrainingRunView>> GetRunAsync(Guid id, TrainingService training, CancellationToken ct) =>
        TypedResults.Ok(await training.GetRunAsync(id, ct));

    public static async Task<Ok<TrainingRunView>> CancelRunAsync(Guid id, TrainingService training, CancellationToken ct) =>
        TypedResults.Ok(await training.CancelRunAsync(id, ct));
}
