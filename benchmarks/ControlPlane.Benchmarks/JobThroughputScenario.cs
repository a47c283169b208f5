using System.Diagnostics;
using System.Globalization;
using ControlPlane.Workers.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Job throughput and queue latency as deployed: standalone ControlPlane.Workers processes (Release build) taking a
/// burst of trivial jobs — a worker self-test whose row does not exist, so each job does one lookup and returns, with
/// the audit trail's job.started and job.succeeded rows written as for every job. Times come from Hangfire's own state
/// history: enqueued→processing is the queue wait, first enqueue→last success the throughput.
/// </summary>
internal static class JobThroughputScenario
{
    public static async Task RunAsync(string provider, string? connectionString, int jobs, int workerProcesses, TimeSpan poll)
    {
        var data = Directory.CreateTempSubdirectory("cp-jobs-bench").FullName;
        var jobsFile = Path.Combine(data, "jobs.db");
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider,
            ["ControlPlane__DataDirectory"] = data,
            ["Workers__QueuePollInterval"] = poll.ToString("c", CultureInfo.InvariantCulture),
            ["Workers__SqliteStoragePath"] = jobsFile,
            ["Workers__Queues__0"] = "default",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (connectionString is not null)
            environment["ConnectionStrings__ControlPlane"] = connectionString;
        var dll = Path.Combine(FindRoot(), "src", "ControlPlane.Workers", "bin", "Release", "net10.0", "ControlPlane.Workers.dll");
        var workers = Enumerable.Range(0, workerProcesses).Select(i => Start(dll, environment, $"bench-{i}")).ToList();
        try
        {
            // The workers migrate and create the job schema; wait until every one has registered.
            JobStorage? storage = null;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException("The workers did not register within 2 minutes.");
                await Task.Delay(500);
                try
                {
                    storage ??= provider == "PostgreSql"
                        ? new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString!, new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false }),
                            new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false, QueuePollInterval = poll })
                        : File.Exists(jobsFile) ? new SQLiteStorage(jobsFile, new SQLiteStorageOptions { QueuePollInterval = poll }) : null;
                    if (storage is not null && storage.GetMonitoringApi().Servers().Count >= workerProcesses)
                        break;
                }
                catch (Exception) when (DateTime.UtcNow < deadline)
                {
                    // the workers are still creating the schema
                }
            }
            var client = new BackgroundJobClient(storage);
            await BurstAsync(client, storage, 20); // warm-up: JIT, connection pools
            var started = Stopwatch.StartNew();
            var ids = await BurstAsync(client, storage, jobs);
            var wall = started.Elapsed;
            var monitoring = storage.GetMonitoringApi();
            var waits = new List<double>();
            DateTime first = DateTime.MaxValue, last = DateTime.MinValue;
            foreach (var id in ids)
            {
                var history = monitoring.JobDetails(id).History;
                var enqueued = history.Last(h => h.StateName == "Enqueued").CreatedAt;
                var processing = history.Last(h => h.StateName == "Processing").CreatedAt;
                var succeeded = history.First(h => h.StateName == "Succeeded").CreatedAt;
                waits.Add((processing - enqueued).TotalMilliseconds);
                first = enqueued < first ? enqueued : first;
                last = succeeded > last ? succeeded : last;
            }
            waits.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{provider}, {workerProcesses} worker process(es), poll {poll.TotalMilliseconds:0} ms, {jobs} jobs: queue wait p50 {Percentile(waits, 0.50):0} ms, " +
                $"p99 {Percentile(waits, 0.99):0} ms, max {waits[^1]:0} ms; {jobs / (last - first).TotalSeconds:0.0} jobs/s (first enqueue to last success {(last - first).TotalSeconds:0.0} s; burst wall {wall.TotalSeconds:0.0} s)"));
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Enqueues <paramref name="count"/> jobs at once and waits until every one has succeeded.</summary>
    private static async Task<List<string>> BurstAsync(BackgroundJobClient client, JobStorage storage, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => client.Enqueue<WorkerSelfTestJob>(j => j.RunAsync(Guid.NewGuid(), CancellationToken.None))).ToList();
        var connection = storage.GetConnection();
        var pending = new HashSet<string>(ids);
        while (pending.Count > 0)
        {
            await Task.Delay(200);
            pending.RemoveWhere(id => connection.GetStateData(id)?.Name == "Succeeded");
        }
        return ids;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static Process Start(string dll, Dictionary<string, string> environment, string name)
    {
        var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.Environment["Workers__ServerName"] = name;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine($"[{name}] {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("ControlPlane.sln not found above the benchmark's output.");
    }
}
