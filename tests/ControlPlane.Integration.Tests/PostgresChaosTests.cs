using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ControlPlane.Domain.Audit;
using ControlPlane.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// Nothing lost, nothing twice: about 50 jobs (dataset profiles, drift runs, training runs and the evaluations training
/// queues) run on three worker processes on one PostgreSQL database while workers are killed with SIGKILL at random
/// points and started again. Every job completes exactly once: one success event per run in the audit trail, one model
/// version per training run, and the chain verifies.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class PostgresChaosTests(ITestOutputHelper output)
{
    private const string AdminToken = "cpat_chaos-tests-admin-token-0123456789abcdef";
    private const int WorkerProcesses = 3, Rows = 10_000;
    private const int DatasetVersions = 10, DriftRuns = 19, TrainingRuns = 10; // + the first version's profile + one evaluation per training = 50

    [Fact]
    public async Task Jobs_on_workers_killed_mid_run_are_all_retried_and_complete_once_with_the_audit_chain_intact()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        using var data = new TempDirectory("cp-chaos");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var shared = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ControlPlane__DataDirectory"] = data.Path,
            ["Workers__QueuePollInterval"] = "00:00:00.500",
            ["Workers__InvisibilityTimeout"] = "00:00:10",
            ["Workers__LockTimeout"] = "00:00:10", // a kill during a job's state change leaves the job's lock row behind
        };
        await using var web = AppProcess.Start("ControlPlane.Web", new Dictionary<string, string>(shared)
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Workers__InProcess"] = "false",
            ["ControlPlane__Datasets__InlineProfileMaxBytes"] = "1", // every profile is a job
            ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
            ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = AdminToken,
        }, data.Path);
        await Readiness.WaitAsync(url, web);
        var workers = new AppProcess[WorkerProcesses];
        var names = new string[WorkerProcesses];
        var started = 0;
        void StartWorker(int slot)
        {
            names[slot] = $"chaos-worker-{++started}";
            workers[slot] = AppProcess.Start("ControlPlane.Workers", new Dictionary<string, string>(shared) { ["Workers__ServerName"] = names[slot] }, data.Path);
        }
        for (var i = 0; i < WorkerProcesses; i++)
            StartWorker(i);

        using var api = ApiCalls.Client(url, AdminToken);
        await api.SendJsonAsync(HttpMethod.Post, "/api/v1/datasets", new { name = "chaos-data" });
        await api.AddTrainingVersionAsync("chaos-data", 0, Rows);
        await api.SendJsonAsync(HttpMethod.Post, "/api/v1/models", new { name = "chaos-model" });
        var spec = await api.SendJsonAsync(HttpMethod.Post, "/api/v1/training/specs", ApiCalls.FastTreeSpec("chaos-model", "chaos-data", trees: 100));
        var monitor = await api.SendJsonAsync(HttpMethod.Post, "/api/v1/drift/monitors", new
        {
            name = "chaos-monitor", reference = new { name = "chaos-data", version = 1 }, currentDataset = "chaos-data",
        });

        // The load: profiles, drift runs and training runs queued in a mixed order, while workers are being killed.
        var work = Enumerable.Repeat("profile", DatasetVersions).Concat(Enumerable.Repeat("drift", DriftRuns)).Concat(Enumerable.Repeat("training", TrainingRuns))
            .OrderBy(_ => random.Next()).ToList();
        var driftRunIds = new List<string>();
        var trainingRunIds = new List<string>();
        using var stopKilling = new CancellationTokenSource();
        var kills = 0;
        var killer = Task.Run(async () =>
        {
            while (!stopKilling.IsCancellationRequested)
            {
                await Task.Delay(random.Next(1_000, 3_000));
                // A worker that is running a job (waiting up to 5 s for one), so most kills land mid-run.
                var busy = new List<int>();
                for (var wait = 0; busy.Count == 0 && wait < 25 && !stopKilling.IsCancellationRequested; wait++, await Task.Delay(200))
                    busy = (await api.GetJsonArrayAsync("/api/v1/system/workers")).Where(s => s!["busyWorkers"]!.GetValue<int>() > 0)
                        .Select(s => Array.FindIndex(names, n => s!["name"]!.GetValue<string>().StartsWith(n + ":", StringComparison.Ordinal))) // Hangfire's id: name:pid:guid
                        .Where(i => i >= 0).ToList();
                var victim = busy.Count > 0 ? busy[random.Next(busy.Count)] : random.Next(WorkerProcesses);
                await workers[victim].KillAsync();
                Interlocked.Increment(ref kills);
                output.WriteLine($"SIGKILL {names[victim]} ({(busy.Count > 0 ? "busy" : "idle")}) at {DateTime.UtcNow:HH:mm:ss.fff}");
                await workers[victim].DisposeAsync();
                StartWorker(victim);
            }
        });
        var version = 1;
        foreach (var item in work)
        {
            switch (item)
            {
                case "profile":
                    await api.AddTrainingVersionAsync("chaos-data", version++, Rows);
                    break;
                case "drift":
                    driftRunIds.Add((await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/drift/monitors/{monitor["id"]}/runs", null))["id"]!.GetValue<string>());
                    break;
                default:
                    trainingRunIds.Add((await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/training/specs/{spec["id"]}/runs", null))["id"]!.GetValue<string>());
                    break;
            }
        }

        // Keep killing for a while after the last job is queued (and until enough kills landed), then let the survivors finish.
        await Task.Delay(TimeSpan.FromSeconds(15));
        for (var waited = 0; Volatile.Read(ref kills) < 6 && waited < 120; waited++)
            await Task.Delay(TimeSpan.FromSeconds(0.5));
        await stopKilling.CancelAsync();
        await killer;
        var unfinished = "";
        var waiting = Eventually.GetAsync(async () =>
        {
            var training = await Async(trainingRunIds.Select(id => api.GetJsonAsync($"/api/v1/training/runs/{id}")));
            var drift = await Async(driftRunIds.Select(id => api.GetJsonAsync($"/api/v1/drift/runs/{id}")));
            var versions = await Async(Enumerable.Range(1, DatasetVersions + 1).Select(v => api.GetJsonAsync($"/api/v1/datasets/chaos-data/versions/{v}")));
            var evaluations = await Async(training.Select(t => t["evaluationId"]?.GetValue<string>()).OfType<string>().Select(id => api.GetJsonAsync($"/api/v1/evaluations/{id}")));
            var finished = training.All(r => Status(r) is "Succeeded" or "Failed" or "Cancelled") && drift.All(r => Status(r) is "Succeeded" or "Failed")
                && versions.All(v => v["profileStatus"]!.GetValue<string>() is "Ready" or "Failed") && evaluations.All(e => Status(e) is "Succeeded" or "Failed")
                && evaluations.Count == training.Count;
            unfinished = string.Join(", ", training.Concat(drift).Concat(evaluations).Where(r => Status(r) is not ("Succeeded" or "Failed" or "Cancelled"))
                .Select(r => $"{r["id"]} {Status(r)}").Concat(versions.Where(v => v["profileStatus"]!.GetValue<string>() is not ("Ready" or "Failed"))
                .Select(v => $"profile v{v["version"]} {v["profileStatus"]}")));
            return finished ? new Outcome(training, drift, versions, evaluations) : null;
        }, TimeSpan.FromMinutes(6), "every job to finish");
        Outcome done;
        try
        {
            done = await waiting;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nUnfinished: {unfinished}\n{await HangfireStateAsync(connectionString)}", e);
        }
        await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        // The fits and scorings killed workers left behind end themselves (ParentWatch): nothing of this test runs on.
        await Eventually.GetAsync(() => Task.FromResult(
            ProcessesWithEnvironment($"ControlPlane__DataDirectory={data.Path}").Any(p => p != web.Id) ? null : ""), TimeSpan.FromSeconds(10), "the workers' child processes to end");

        var runs = done.Training.Select(r => ("trainingRun", r, "trainingRun.succeeded")).Concat(done.Drift.Select(r => ("driftRun", r, "driftRun.succeeded")))
            .Concat(done.Evaluations.Select(r => ("evaluationRun", r, "evaluation.succeeded")))
            .Concat(done.Versions.Select(v => ("datasetVersion", v, "datasetVersion.profiled"))).ToList();
        var lost = runs.Count(r => (Status(r.Item2) ?? r.Item2["profileStatus"]!.GetValue<string>()) is not ("Succeeded" or "Ready"));
        var histories = await Async(runs.Select(async r => (await api.GetJsonArrayAsync($"/api/v1/audit/history/{r.Item1}/{r.Item2["id"]}"))
            .Select(e => e!["action"]!.GetValue<string>()).ToList()));
        var successEvents = runs.Select((r, i) => histories[i].Count(a => a == r.Item3)).ToList();
        var duplicated = successEvents.Count(n => n > 1);
        // A job that was started more than once was cut off by a kill and taken again by another worker.
        var jobStarts = new List<string>();
        for (var page = 0; ; page++)
        {
            var items = (await api.GetJsonAsync($"/api/v1/audit?action=job.started&pageSize=100&page={page}"))["items"]!.AsArray();
            jobStarts.AddRange(items.Select(e => e!["entityId"]!.GetValue<string>()));
            if (items.Count < 100)
                break;
        }
        var interrupted = jobStarts.GroupBy(id => id).Count(g => g.Count() > 1);
        var versionsRegistered = (await api.GetJsonAsync("/api/v1/models/chaos-model/versions?pageSize=100"))["items"]!.AsArray().Count;
        output.WriteLine($"{kills} worker processes killed; {runs.Count} jobs, {interrupted} of them cut off mid-run and run again: {runs.Count - lost} completed, {lost} lost, {duplicated} completed twice; " +
                         $"{versionsRegistered} model versions for {done.Training.Count} training runs");

        Assert.True(kills >= 5, $"only {kills} kills");
        Assert.True(interrupted >= 1, "no kill landed while a job was running");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.All(successEvents, n => Assert.Equal(1, n));
        Assert.Equal(done.Training.Count, versionsRegistered);
        Assert.Equal(done.Training.Count, done.Training.Select(t => t["modelVersion"]!.GetValue<int>()).Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/audit/digests", null)).StatusCode);
        var verification = await (await api.PostAsync("/api/v1/audit/verify", null)).Content.ReadFromJsonAsync<AuditVerification>(ApiCalls.Json);
        Assert.True(verification!.Intact, verification.Problem);
    }

    private static IEnumerable<int> ProcessesWithEnvironment(string entry) => Directory.EnumerateDirectories("/proc")
        .Select(d => (Id: int.TryParse(Path.GetFileName(d), out var id) ? id : -1, Environ: Path.Combine(d, "environ")))
        .Where(p => p.Id > 0 && Read(p.Environ).Split('\0').Contains(entry))
        .Select(p => p.Id);

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>What Hangfire holds for the jobs that did not succeed, and its lock rows: what a timeout needs explained.</summary>
    private static async Task<string> HangfireStateAsync(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT 'job ' || j.id || ' ' || coalesce(j.statename, '-') || ' ' || coalesce(j.invocationdata::json ->> 'Method', '?')
                   || coalesce(' fetched ' || q.fetchedat, '') || coalesce(' reason ' || s.reason, '')
            FROM hangfire.job j
            LEFT JOIN hangfire.jobqueue q ON q.jobid = j.id
            LEFT JOIN hangfire.state s ON s.id = j.stateid
            WHERE j.statename IS DISTINCT FROM 'Succeeded'
            UNION ALL
            SELECT 'lock ' || resource || ' taken ' || acquired FROM hangfire.lock
            """, db);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return "Hangfire:\n" + string.Join("\n", lines);
    }

    private sealed record Outcome(List<JsonObject> Training, List<JsonObject> Drift, List<JsonObject> Versions, List<JsonObject> Evaluations);

    private static string? Status(JsonObject run) => run["status"]?.GetValue<string>();

    private static async Task<List<T>> Async<T>(IEnumerable<Task<T>> tasks) => [.. await Task.WhenAll(tasks)];
}
