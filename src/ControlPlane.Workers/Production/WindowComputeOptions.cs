namespace ControlPlane.Workers.Production;

/// <summary>Bound from <c>ControlPlane:Production:Windows</c>: how much of a window the windows job pulls into memory.</summary>
public sealed class WindowComputeOptions
{
    public const string Section = "ControlPlane:Production:Windows";

    /// <summary>
    /// Rows per window whose feature and output values go to the drift engine; a larger window is sampled
    /// deterministically (the rows whose prediction id hashes below a threshold set for about this many), so a
    /// recompute of unchanged data gives the same figures.
    /// Counts, missing rates, latency, error rate and CBPE always use every row.
    /// </summary>
    public int SampleRows { get; set; } = 200_000;

    /// <summary>Labelled rows per window for realised performance; beyond it they are sampled the same way.</summary>
    public int LabelledRows { get; set; } = 1_000_000;

    /// <summary>Actuals are looked for in segments from this long before a window's start…</summary>
    public TimeSpan ActualsBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>…to this long after its end; a new actuals segment in that range recomputes the window.</summary>
    public TimeSpan ActualsAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>DuckDB's memory limit for one window (it spills to temp files beyond it).</summary>
    public string DuckDbMemoryLimit { get; set; } = "2GB";
}
