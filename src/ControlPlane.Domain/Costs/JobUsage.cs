namespace ControlPlane.Domain.Costs;

public enum JobUsageOutcome
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// What one job attempt used, written when a worker starts it and completed when it ends (see docs/costs.md for what
/// each figure counts). A row without <see cref="EndedAtUtc"/> is running, or its worker died; cost treats it as running
/// until now, or until <see cref="CostOptions.StaleAfter"/> has passed.
/// </summary>
public sealed class JobUsage
{
    public Guid Id { get; set; }
    /// <summary>Hangfire's job id; a retry of the same job is another row with the same id.</summary>
    public required string JobId { get; set; }
    /// <summary>The job class, e.g. <c>EvaluationJob</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>The run the job works on (its last id argument), when it has one.</summary>
    public Guid? RunId { get; set; }
    public Guid? ModelId { get; set; }
    public required string Worker { get; set; }
    public required string Queue { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime? EndedAtUtc { get; set; }
    public JobUsageOutcome Outcome { get; set; }
    public double WallMs { get; set; }
    /// <summary>CPU of the job's own threads in the worker process (user + system).</summary>
    public double CpuMs { get; set; }
    /// <summary>CPU of the child processes the job ran (isolated scoring and fitting), sampled while they ran.</summary>
    public double ChildCpuMs { get; set; }
    public long PeakMemoryBytes { get; set; }
    /// <summary>True when <see cref="PeakMemoryBytes"/> is a child process's own peak; false: the worker process's peak during the job.</summary>
    public bool PeakMemoryIsChild { get; set; }
    /// <summary>Time inside ONNX Runtime <c>Run</c> calls on the CUDA provider; 0 on the CPU.</summary>
    public double GpuMs { get; set; }
    public long? Rows { get; set; }
}
