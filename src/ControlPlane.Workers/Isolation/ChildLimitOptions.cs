namespace ControlPlane.Workers.Isolation;

/// <summary>What one child process may take before it is killed (bound per kind of work: training, evaluation).</summary>
public abstract class ChildLimitOptions
{
    /// <summary>Wall-clock time after which the child is stopped.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Resident memory the child may hold, in MiB; 0 (the default) means half of the memory this machine or container has.</summary>
    public int MaxMemoryMegabytes { get; set; }

    public ChildLimits ToLimits() => new(TimeLimit, MaxMemoryMegabytes > 0
        ? MaxMemoryMegabytes * (1L << 20)
        : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}
