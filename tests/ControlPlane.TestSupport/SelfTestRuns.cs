using System.Net.Http.Json;
using ControlPlane.Domain.Jobs;

namespace ControlPlane.TestSupport;

public static class SelfTestRuns
{
    /// <summary>Sends a worker self-test job through <paramref name="queue"/> (<c>POST /api/v1/system/self-tests</c>) and waits until a worker ran it.</summary>
    public static async Task<WorkerSelfTest> RunAsync(HttpClient admin, string queue, Func<string> diagnostics)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/system/self-tests", new { queue });
        response.EnsureSuccessStatusCode();
        try
        {
            return await Eventually.GetAsync(async () =>
            {
                var test = await admin.GetFromJsonAsync<WorkerSelfTest>(response.Headers.Location!);
                return test?.CompletedAtUtc is null ? null : test;
            }, TimeSpan.FromSeconds(60), $"the self-test on '{queue}'");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{diagnostics()}", e);
        }
    }
}
