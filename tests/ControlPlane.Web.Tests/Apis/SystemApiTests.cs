using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Jobs;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Workers.Hosting;

namespace ControlPlane.Web.Tests.Apis;

[Collection(WebCollection.Name)]
public sealed class SystemApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task The_in_process_job_server_is_listed_with_both_queues()
    {
        var servers = await Eventually.GetAsync(async () =>
        {
            var list = await Admin.GetFromJsonAsync<List<WorkerServerInfo>>("/api/v1/system/workers");
            return list is { Count: > 0 } ? list : null;
        }, TimeSpan.FromSeconds(30), "the in-process server to register");

        var server = Assert.Single(servers, s => s.Name.StartsWith("web-tests-in-process", StringComparison.Ordinal));
        Assert.Equal(JobQueues.All.Order(), server.Queues.Order());
        Assert.NotNull(server.LastHeartbeat);
    }

    [Theory]
    [InlineData(JobQueues.Default)]
    [InlineData(JobQueues.Gpu)]
    public async Task A_self_test_is_enqueued_and_run_by_the_in_process_server(string queue)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/system/self-tests", new SelfTestRequest(queue));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var test = (await response.Content.ReadFromJsonAsync<WorkerSelfTest>())!;
        Assert.NotNull(test.JobId);

        var done = await Eventually.GetAsync(async () =>
        {
            var current = await Admin.GetFromJsonAsync<WorkerSelfTest>(response.Headers.Location!);
            return current?.CompletedAtUtc is null ? null : current;
        }, TimeSpan.FromSeconds(60), $"the self-test on '{queue}' to complete");

        Assert.Equal(queue, done.Queue);
        Assert.StartsWith("web-tests-in-process", done.ProcessedByServer);
    }

    [Fact]
    public async Task An_unknown_queue_is_a_400()
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/system/self-tests", new SelfTestRequest("cpu-only"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
