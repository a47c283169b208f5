using ControlPlane.Domain.Jobs;

namespace ControlPlane.Workers.Hosting;

/// <summary>Bound from the <c>Workers</c> section; the same keys drive the in-process server and standalone worker processes.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>The web process also runs a job server (one <c>dotnet run</c> is a whole system).</summary>
    public bool InProcess { get; set; } = true;

    /// <summary>Queues this process takes jobs from, in priority order; empty means all of them.</summary>
    /// <remarks>No default elements here: the configuration binder appends to an array instead of replacing it.</remarks>
    public string[] Queues { get; set; } = [];

    public string[] ResolveQueues() => Queues.Length == 0 ? [.. JobQueues.All] : [.. Queues.Distinct(StringComparer.Ordinal)];

    /// <summary>Concurrent jobs in this process; 0 means Hangfire's default (5 × cores, at most 20).</summary>
    public int WorkerCount { get; set; }

    /// <summary>Name shown on the workers page; defaults to machine name and process id.</summary>
    public string? ServerName { get; set; }

    /// <summary>SQLite only: the Hangfire storage file; defaults to <c>controlplane-jobs.db</c> beside the app database.</summary>
    public string? SqliteStoragePath { get; set; }

    /// <summary>How often idle workers poll the storage for new jobs.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// SQL Server and PostgreSQL: a job whose worker process died (SIGKILL, power loss) goes back to the queue this long
    /// after that worker's last keep-alive. Running jobs renew it, so a long job is never taken twice.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// PostgreSQL: Hangfire's locks there are rows, so a worker killed while it held one (each state change of a job
    /// takes the job's lock for milliseconds) leaves it behind; it counts as abandoned this long after it was taken,
    /// and the job waits for it until then. SQL Server's locks end with the dead process's connection.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a stopping process waits for its running jobs after cancelling them (they checkpoint or go back to the
    /// queue); then it exits regardless.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Where this machine keeps the ONNX exports of ML.NET versions it evaluates; defaults to <c>controlplane-onnx</c> in the temp directory.</summary>
    public string? OnnxExportDirectory { get; set; }

    public string ResolveOnnxExportDirectory() =>
        string.IsNullOrWhiteSpace(OnnxExportDirectory) ? Path.Combine(Path.GetTempPath(), "controlplane-onnx") : OnnxExportDirectory;

    public string ResolveServerName() =>
        string.IsNullOrWhiteSpace(ServerName) ? $"{Environment.MachineName}:{Environment.ProcessId}".ToLowerInvariant() : ServerName;
}
