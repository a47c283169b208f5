using System.Globalization;

namespace ControlPlane.Workers.Isolation;

/// <summary>What a child process may take before it is killed: wall-clock time and resident memory.</summary>
public sealed record ChildLimits(TimeSpan Time, long MemoryBytes)
{
    /// <summary>The time limit in words: "3 s", "20 min", "2 h".</summary>
    public string TimeText => Time.TotalHours >= 1 ? $"{Time.TotalHours:0.##} h" : Time.TotalMinutes >= 1 ? $"{Time.TotalMinutes:0.##} min" : $"{Time.TotalSeconds:0.##} s";

    /// <summary>The memory limit in whole MB ("1,024").</summary>
    public string MegabytesText => (MemoryBytes >> 20).ToString("N0", CultureInfo.InvariantCulture);
}
