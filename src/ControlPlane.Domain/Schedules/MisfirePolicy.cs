namespace ControlPlane.Domain.Schedules;

/// <summary>What happens to occurrences missed while no job server ran.</summary>
public enum MisfirePolicy
{
    /// <summary>Run once on catch-up, however many occurrences were missed (Hangfire's <c>Relaxed</c>).</summary>
    RunOnce,
    /// <summary>Skip missed occurrences and wait for the next one (Hangfire's <c>Ignorable</c>).</summary>
    Skip,
}
