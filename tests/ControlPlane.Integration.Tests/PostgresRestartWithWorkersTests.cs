using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ControlPlane.Domain.Audit;
using ControlPlane.TestSupport;
using Xunit.Abstractions;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The database server stopped for several seconds while a separate worker process runs jobs, and started again: no
/// process is restarted, yet every job acknowledged before the stop completes exactly once, submissions while it is
/// down are refused with 503 and leave nothing behind, jobs queued after it is back run, and the audit chain verifies.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class PostgresRestartWithWorkersTests(ITestOutputHelper output)
{
    private const string AdminToken = "cpat_restart-workers-admin-token-0123456789ab";
    private const int Rows = 20_000, ProfilesBefore = 4, DriftRunsBefore = 6, ProfilesAfter = 2, DriftRunsAfter = 3;
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Jobs_running_on_a_worker_process_when_PostgreSQL_restarts_all_complete_once_without_a_process_restart()
    {
        using var cluster = new PostgresCluster();
        (string, string)[] jobStorage =
        [
            ("Database__Provider", "PostgreSql"), ("ConnectionStrings__ControlPlane", cluster.ConnectionString),
            ("Workers__QueuePollInterval", "00:00:00.500"), ("Workers__LockTimeout", "00:00:10"),
        ];
        await using var web = await WebAppProcess.StartAsync(AdminToken,
            [.. jobStorage, ("Workers__InProcess", "false"), ("ControlPlane__Datasets__InlineProfileMaxBytes", "1")]); // every profile is a job
        await using var worker = AppProcess.Start("ControlPlane.Workers",
            new Dictionary<string, string>(jobStorage.Select(s => KeyValuePair.Create(s.Item1, s.Item2)))
            {
                ["ControlPlane__DataDirectory"] = web.DataDirectory, ["Workers__ServerName"] = "restart-worker",
            }, web.DataDirectory);
        using var api = ApiCalls.Client(web.Url, AdminToken);
        await api.SendJsonAsync(HttpMethod.Post, "/api/v1/datasets", new { name = "restart-data" });
        await api.AddTrainingVersionAsync("restart-data", 0, Rows);
        var monitor = await api.SendJsonAsync(HttpMethod.Post, "/api/v1/drift/monitors", new
        {
            name = "restart-monitor", reference = new { name = "restart-data", version = 1 }, currentDataset = "restart-data",
        });
        var driftRuns = new List<string>();
        var versions = 1;
        async Task QueueAsync(int profiles, int drifts)
        {
            for (var i = 0; i < Math.Max(profiles, drifts); i++)
            {
                if (i < profiles)
                    await api.AddTrainingVersionAsync("restart-data", versions++, Rows);
                if (i < drifts)
                    driftRuns.Add((await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/drift/monitors/{monitor["id"]}/runs", null))["id"]!.GetValue<string>());
            }
        }

        // Before: jobs queued, and the database stops once the worker is running one of them.
        await QueueAsync(ProfilesBefore, DriftRunsBefore);
        var before = ProfilesBefore + 1 + DriftRunsBefore; // version 1's profile too
        await Eventually.GetAsync(async () => (await api.GetJsonArrayAsync("/api/v1/system/workers"))
            .Any(s => s!["name"]!.GetValue<string>().StartsWith("restart-worker:", StringComparison.Ordinal) && s["busyWorkers"]!.GetValue<int>() > 0) ? "" : null,
            TimeSpan.FromSeconds(60), "the worker process to run a job:\n" + worker.Output);
        var stillRunning = await UnfinishedAsync(api, driftRuns, versions);
        cluster.Stop();
        var down = Stopwatch.StartNew();

        // While it is down: submissions are refused fast with 503, and nothing of them is kept.
        var duringRefused = 0;
        var slowestRefusal = TimeSpan.Zero;
        while (down.Elapsed < Downtime)
        {
            var asked = Stopwatch.StartNew();
            var drift = await api.PostAsync($"/api/v1/drift/monitors/{monitor["id"]}/runs", null);
            slowestRefusal = asked.Elapsed > slowestRefusal ? asked.Elapsed : slowestRefusal;
            asked.Restart();
            var upload = await UploadAsync(api, versions);
            slowestRefusal = asked.Elapsed > slowestRefusal ? asked.Elapsed : slowestRefusal;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, drift.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
            duringRefused += 2;
            await Task.Delay(500);
        }
        Assert.False(worker.HasExited, "the worker process exited while the database was down:\n" + worker.Output);

        var downFor = down.Elapsed;
        var finishedAtRestart = before - Count(stillRunning); // nothing can finish while the database is down
        cluster.Start();
        var back = Stopwatch.StartNew();
        await Eventually.GetAsync(async () => (await api.GetAsync("/api/v1/models")).StatusCode == HttpStatusCode.OK ? "" : null,
            TimeSpan.FromSeconds(60), "the web process to serve again");
        var apiBack = back.Elapsed;

        // After: more jobs, on the same processes.
        await QueueAsync(ProfilesAfter, DriftRunsAfter);
        var unfinished = "";
        TimeSpan? firstJobDone = null;
        try
        {
            await Eventually.GetAsync(async () =>
            {
                unfinished = await UnfinishedAsync(api, driftRuns, versions);
                if (firstJobDone is null && driftRuns.Count + versions - Count(unfinished) > finishedAtRestart)
                    firstJobDone = back.Elapsed;
                return unfinished.Length == 0 ? "" : null;
            }, TimeSpan.FromMinutes(4), "every job to finish");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nUnfinished: {unfinished}\nWorker:\n{worker.Output}", e);
        }
        var allDone = back.Elapsed;

        var runs = driftRuns.Select(id => (Entity: "driftRun", Id: id, Success: "driftRun.succeeded")).Concat(
            (await VersionsAsync(api, versions)).Select(v => (Entity: "datasetVersion", Id: v["id"]!.GetValue<string>(), Success: "datasetVersion.profiled"))).ToList();
        var drifts = await Task.WhenAll(driftRuns.Select(id => api.GetJsonAsync($"/api/v1/drift/runs/{id}")));
        var profiles = await VersionsAsync(api, versions);
        var completed = drifts.Count(r => Status(r) == "Succeeded") + profiles.Count(v => v["profileStatus"]!.GetValue<string>() == "Ready");
        var successEvents = await Task.WhenAll(runs.Select(async r => (await api.GetJsonArrayAsync($"/api/v1/audit/history/{r.Entity}/{r.Id}"))
            .Count(e => e!["action"]!.GetValue<string>() == r.Success)));
        var duplicated = successEvents.Count(n => n > 1);
        var lost = runs.Count - completed;
        // A job started more than once was cut off by the restart (or failed an attempt) and taken again.
        var jobStarts = new List<string>();
        for (var page = 0; ; page++)
        {
            var items = (await api.GetJsonAsync($"/api/v1/audit?action=job.started&pageSize=100&page={page}"))["items"]!.AsArray();
            jobStarts.AddRange(items.Select(e => e!["entityId"]!.GetValue<string>()));
            if (items.Count < 100)
                break;
        }
        var rerun = jobStarts.GroupBy(id => id).Count(g => g.Count() > 1);
        output.WriteLine($"jobs: {before} before the stop ({Count(stillRunning)} unfinished at the stop), " +
                         $"{duringRefused} submissions refused while down ({downFor.TotalSeconds:0.0} s, slowest refusal {slowestRefusal.TotalSeconds:0.0} s), {ProfilesAfter + DriftRunsAfter} after; " +
                         $"{completed} of {runs.Count} completed ({rerun} started more than once), {lost} lost, {duplicated} duplicated; after the start: API back in {apiBack.TotalSeconds:0.0} s, " +
                         $"first job finished in {firstJobDone?.TotalSeconds:0.0} s, every job in {allDone.TotalSeconds:0.0} s");

        // Nothing kept of what was refused while down: no extra version, no extra drift run.
        Assert.Equal(versions, (await api.GetJsonAsync("/api/v1/datasets/restart-data/versions?pageSize=100"))["items"]!.AsArray().Count);
        Assert.Equal(driftRuns.Count, (await api.GetJsonAsync($"/api/v1/drift/monitors/{monitor["id"]}/runs?pageSize=100"))["items"]!.AsArray().Count);
        Assert.Equal(before + ProfilesAfter + DriftRunsAfter, runs.Count);
        // What the worker went through, for the record: its warnings and errors while the database was away.
        foreach (var line in worker.Output.Split('\n').Where(l => l.Contains("warn:", StringComparison.Ordinal) || l.Contains("fail:", StringComparison.Ordinal)
                     || l.Contains("Exception:", StringComparison.Ordinal)).Take(30))
            output.WriteLine("worker " + line.TrimEnd());
        Assert.Equal(0, lost);
        Assert.All(successEvents, n => Assert.Equal(1, n));
        Assert.False(worker.HasExited, "the worker process exited:\n" + worker.Output);
        Assert.False(web.App.HasExited);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/audit/digests", null)).StatusCode);
        var verification = await (await api.PostAsync("/api/v1/audit/verify", null)).Content.ReadFromJsonAsync<AuditVerification>(ApiCalls.Json);
        Assert.True(verification!.Intact, verification.Problem);
    }

    /// <summary>An upload of one more version, sent whatever the answer (the helper asserts success).</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient api, int version)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("id,x1,label\n1,0.5,true\n"u8.ToArray());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", $"while-down-{version}.csv");
        return await api.PostAsync("/api/v1/datasets/restart-data/versions", form);
    }

    private static async Task<JsonObject[]> VersionsAsync(HttpClient api, int versions) =>
        await Task.WhenAll(Enumerable.Range(1, versions).Select(v => api.GetJsonAsync($"/api/v1/datasets/restart-data/versions/{v}")));

    /// <summary>The jobs not finished yet, named; a failed job counts as finished here and as lost in the tally.</summary>
    private static async Task<string> UnfinishedAsync(HttpClient api, List<string> driftRuns, int versions)
    {
        var drifts = await Task.WhenAll(driftRuns.Select(id => api.GetJsonAsync($"/api/v1/drift/runs/{id}")));
        var profiles = await VersionsAsync(api, versions);
        return string.Join(", ", drifts.Where(r => Status(r) is not ("Succeeded" or "Failed")).Select(r => $"drift {r["id"]} {Status(r)}")
            .Concat(profiles.Where(v => v["profileStatus"]!.GetValue<string>() is not ("Ready" or "Failed")).Select(v => $"profile v{v["version"]} {v["profileStatus"]}")));
    }

    private static int Count(string unfinished) => unfinished.Split(", ", StringSplitOptions.RemoveEmptyEntries).Length;

    private static string? Status(JsonObject run) => run["status"]?.GetValue<string>();
}
