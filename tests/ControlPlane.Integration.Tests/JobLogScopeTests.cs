using System.Text.Json.Nodes;
using ControlPlane.Domain.Jobs;
using ControlPlane.TestSupport;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The web process writing JSON console lines runs a worker self-test. The lines that only the job writes (found by
/// their category and text, not their scope) each carry the job's id, type, argument id and the user who started it;
/// the request that enqueued it carries none of them.
/// </summary>
public sealed class JobLogScopeTests
{
    private const string AdminToken = "cpat_log-scope-tests-admin-token-0123456789abcdef";

    [Fact]
    public async Task Every_line_the_job_writes_names_the_job_its_argument_and_who_started_it()
    {
        await using var web = await WebAppProcess.StartAsync(AdminToken,
            ("Logging__Console__FormatterName", "json"),
            ("Logging__LogLevel__Default", "Information"),
            ("Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command", "Information"),
            ("Workers__QueuePollInterval", "00:00:00.200"));
        using var admin = web.Admin();

        var test = await SelfTestRuns.RunAsync(admin, JobQueues.Default, () => web.App.Output);
        var finished = $"Job {test.JobId} (WorkerSelfTestJob) succeeded";
        await web.App.WaitForOutputAsync(System.Text.RegularExpressions.Regex.Escape(finished), TimeSpan.FromSeconds(30));

        var entries = web.App.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var byJob = entries.Where(e =>
            Category(e) == "ControlPlane.Workers.Jobs.WorkerSelfTestJob" && Message(e).Contains(test.Id.ToString())
            || Category(e) == "Microsoft.EntityFrameworkCore.Database.Command" && Message(e).Contains("UPDATE \"WorkerSelfTests\" SET \"CompletedAtUtc\"")
            || Category(e) == "ControlPlane.Workers.Telemetry.JobTelemetryFilter" && Message(e).StartsWith(finished)).ToList();
        Assert.Equal(3, byJob.Count);
        foreach (var entry in byJob)
        {
            var scope = JobScope(entry) ?? throw new Xunit.Sdk.XunitException($"No job scope on: {entry.ToJsonString()}");
            Assert.Equal(test.JobId, scope["JobId"]?.GetValue<string>());
            Assert.Equal("WorkerSelfTestJob", scope["JobType"]?.GetValue<string>());
            Assert.Equal(test.Id.ToString(), scope["SelfTestId"]?.GetValue<string>());
            Assert.Equal(WebAppProcess.AdminUserName, scope["StartedBy"]?.GetValue<string>());
        }

        // The request's own save of the self-test row ran before the job existed: no job scope there.
        var requestInsert = Assert.Single(entries, e =>
            Category(e) == "Microsoft.EntityFrameworkCore.Database.Command" && Message(e).Contains("INSERT INTO \"WorkerSelfTests\""));
        Assert.Null(JobScope(requestInsert));
    }

    private static string Category(JsonObject entry) => entry["Category"]?.GetValue<string>() ?? "";

    private static string Message(JsonObject entry) => entry["Message"]?.GetValue<string>() ?? "";

    private static JsonObject? JobScope(JsonObject entry) =>
        entry["Scopes"]?.AsArray().OfType<JsonObject>().SingleOrDefault(s => s.ContainsKey("JobId"));
}
