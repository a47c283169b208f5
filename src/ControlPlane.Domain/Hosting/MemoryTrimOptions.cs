namespace ControlPlane.Domain.Hosting;

/// <summary>Bound from <c>ControlPlane:Memory</c>: when the process gives unused managed memory back to the system.</summary>
public sealed class MemoryTrimOptions
{
    public const string Section = "ControlPlane:Memory";

    /// <summary>How often the garbage collector's unused memory is looked at.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Memory the collector holds beyond what is in use, in MiB, past which it is given back; 0 turns trimming off.</summary>
    public int TrimAboveMegabytes { get; set; } = 256;
}
