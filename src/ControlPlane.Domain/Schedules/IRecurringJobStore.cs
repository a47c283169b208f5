namespace ControlPlane.Domain.Schedules;

/// <summary>What the job system knows about one recurring job.</summary>
public sealed record RecurringJobState(string Id, string? Cron, string? TimeZoneId, MisfirePolicy Misfire, DateTime? NextRunUtc,
    DateTime? LastRunUtc, string? LastJobId, string? LastOutcome, string? Error);

/// <summary>One execution of a recurring job, newest first in history.</summary>
public sealed record ScheduleRun(string JobId, string State, DateTime AtUtc, long? DurationMs, string? Error);

/// <summary>The recurring jobs of the job system; Workers implements it on Hangfire's storage.</summary>
public interface IRecurringJobStore
{
    IReadOnlyDictionary<string, RecurringJobState> Find(IReadOnlyCollection<string> ids);

    /// <summary>Creates or replaces the recurring job <paramref name="id"/>; throws <see cref="ArgumentException"/> on a bad cron expression.</summary>
    void AddOrUpdate(ScheduleId id, string cron, TimeZoneInfo timeZone, MisfirePolicy misfire);

    void Remove(ScheduleId id);

    /// <summary>Queues the job now, outside its schedule; returns the job id, or null when no such recurring job is registered.</summary>
    string? Trigger(ScheduleId id);

    /// <summary>The most recent executions the job system still remembers.</summary>
    IReadOnlyList<ScheduleRun> History(ScheduleId id, int count);

    /// <summary>
    /// The newest finished run of each of <paramref name="ids"/> the job system still remembers, in one look: for
    /// schedules that are paused or removed, whose recurring job (and its last-run record) is gone.
    /// </summary>
    IReadOnlyDictionary<string, ScheduleRun> LastFinishedRuns(IReadOnlyCollection<ScheduleId> ids);
}
