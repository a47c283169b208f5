using ControlPlane.Domain.Jobs;
using ControlPlane.Web.Auth;
using ControlPlane.Workers.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record SelfTestRequest(string? Queue);

public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/system").WithTags("System").RequireAuthorization(Policies.Admin);
        api.MapGet("/workers", ListWorkers).WithName("ListWorkers")
            .WithSummary("Live job servers: name, queues, worker count, last heartbeat.");
        api.MapPost("/self-tests", RequestSelfTestAsync).WithName("RequestWorkerSelfTest")
            .WithSummary("Send a self-test job through a queue; poll it to see which worker took it.");
        api.MapGet("/self-tests/{id:guid}", GetSelfTestAsync).WithName("GetWorkerSelfTest").WithSummary("One self-test.");
        return routes;
    }

    public static Ok<IReadOnlyList<WorkerServerInfo>> ListWorkers(WorkerDirectory workers) =>
        TypedResults.Ok(workers.ListServers());

    public static async Task<Accepted<WorkerSelfTest>> RequestSelfTestAsync(SelfTestRequest request, WorkerSelfTestService tests, CancellationToken ct)
    {
        var test = await tests.RequestAsync(request.Queue ?? JobQueues.Default, ct);
        return TypedResults.Accepted($"/api/v1/system/self-tests/{test.Id}", test);
    }

    public static async Task<Ok<WorkerSelfTest>> GetSelfTestAsync(Guid id, WorkerSelfTestService tests, CancellationToken ct) =>
        TypedResults.Ok(await tests.GetAsync(id, ct));
}
