using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Schedules;
using ControlPlane.Workers.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace ControlPlane.Workers.Hosting;

/// <summary>The product's recurring jobs on Hangfire: one job class per schedule kind, the stable id as the recurring id.</summary>
internal sealed class HangfireRecurringJobStore(JobStorage storage, IRecurringJobManagerV2 recurring) : IRecurringJobStore
{
    /// <summary>How many finished jobs of each state are searched for a schedule's history.</summary>
    private const int HistoryWindow = 500;

    public IReadOnlyDictionary<string, RecurringJobState> Find(IReadOnlyCollection<string> ids)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs([.. ids]).Where(j => !j.Removed && j.Cron is not null).ToDictionary(j => j.Id, j => new RecurringJobState(
            j.Id, j.Cron, j.TimeZoneId, MisfireOf(connection, j.Id) ?? MisfirePolicy.RunOnce, Utc(j.NextExecution), Utc(j.LastExecution), j.LastJobId, j.LastJobState, j.Error));
    }

    public void AddOrUpdate(ScheduleId id, string cron, TimeZoneInfo timeZone, MisfirePolicy misfire)
    {
        var options = new RecurringJobOptions
        {
            TimeZone = timeZone,
            MisfireHandling = misfire == MisfirePolicy.Skip ? MisfireHandlingMode.Ignorable : MisfireHandlingMode.Relaxed,
        };
        var key = id.ToString();
        switch (id.Kind)
        {
            case ScheduleKind.DriftMonitor:
                var monitor = id.SubjectId!.Value;
                recurring.AddOrUpdate<DriftScheduleJob>(key, JobQueues.Default, job => job.RunAsync(monitor, CancellationToken.None), cron, options);
                break;
            case ScheduleKind.TrainingSpec:
                var spec = id.SubjectId!.Value;
                recurring.AddOrUpdate<TrainingScheduleJob>(key, JobQueues.Default, job => job.RunAsync(spec, CancellationToken.None), cron, options);
                break;
            case ScheduleKind.AuditDigest:
                recurring.AddOrUpdate<AuditDigestJob>(key, JobQueues.Default, job => job.RunAsync(CancellationToken.None), cron, options);
                break;
            case ScheduleKind.PromotionSweep:
                recurring.AddOrUpdate<PromotionSweepJob>(key, JobQueues.Default, job => job.RunAsync(CancellationToken.None), cron, options);
                break;
            case ScheduleKind.ArtifactSweep:
                recurring.AddOrUpdate<ArtifactSweepJob>(key, JobQueues.Default, job => job.RunAsync(CancellationToken.None), cron, options);
                break;
            case ScheduleKind.TelemetryMaintenance:
                recurring.AddOrUpdate<TelemetryMaintenanceJob>(key, JobQueues.Default, job => job.RunAsync(CancellationToken.None), cron, options);
                break;
            case ScheduleKind.ProductionWindows:
                recurring.AddOrUpdate<ProductionWindowsJob>(key, JobQueues.Default, job => job.RunAsync(CancellationToken.None), cron, options);
                break;
            default:
                throw new InvalidOperationException($"Unhandled schedule kind {id.Kind}.");
        }
    }

    /// <summary>The policy currently stored with a recurring job, so rescheduling from a monitor or spec editor keeps it.</summary>
    public MisfirePolicy? CurrentMisfire(ScheduleId id)
    {
        using var connection = storage.GetConnection();
        return MisfireOf(connection, id.ToString());
    }

    public void Remove(ScheduleId id) => recurring.RemoveIfExists(id.ToString());

    public string? Trigger(ScheduleId id)
    {
        using (var connection = storage.GetConnection())
            if (!connection.GetRecurringJobs([id.ToString()]).Any(j => !j.Removed && j.Cron is not null))
                return null;
        return recurring.TriggerJob(id.ToString());
    }

    public IReadOnlyList<ScheduleRun> History(ScheduleId id, int count)
    {
        var monitoring = storage.GetMonitoringApi();
        bool Mine(Job? job) => IsRunOf(id, job);
        var runs = new List<ScheduleRun>();
        runs.AddRange(monitoring.ProcessingJobs(0, HistoryWindow).Where(j => Mine(j.Value.Job))
            .Select(j => new ScheduleRun(j.Key, "Processing", Utc(j.Value.StartedAt) ?? DateTime.MinValue, null, null)));
        runs.AddRange(monitoring.SucceededJobs(0, HistoryWindow).Where(j => Mine(j.Value.Job))
            .Select(j => new ScheduleRun(j.Key, "Succeeded", Utc(j.Value.SucceededAt) ?? DateTime.MinValue, j.Value.TotalDuration, null)));
        runs.AddRange(monitoring.FailedJobs(0, HistoryWindow).Where(j => Mine(j.Value.Job))
            .Select(j => new ScheduleRun(j.Key, "Failed", Utc(j.Value.FailedAt) ?? DateTime.MinValue, null, j.Value.ExceptionMessage)));
        runs.AddRange(monitoring.EnqueuedJobs(JobQueues.Default, 0, HistoryWindow).Where(j => Mine(j.Value.Job))
            .Select(j => new ScheduleRun(j.Key, "Enqueued", Utc(j.Value.EnqueuedAt) ?? DateTime.MinValue, null, null)));
        return runs.OrderByDescending(r => r.AtUtc).Take(count).ToList();
    }

    public IReadOnlyDictionary<string, ScheduleRun> LastFinishedRuns(IReadOnlyCollection<ScheduleId> ids)
    {
        if (ids.Count == 0)
            return new Dictionary<string, ScheduleRun>();
        var monitoring = storage.GetMonitoringApi();
        var finished = monitoring.SucceededJobs(0, HistoryWindow)
            .Select(j => (j.Value.Job, Run: new ScheduleRun(j.Key, "Succeeded", Utc(j.Value.SucceededAt) ?? DateTime.MinValue, j.Value.TotalDuration, null)))
            .Concat(monitoring.FailedJobs(0, HistoryWindow)
                .Select(j => (j.Value.Job, Run: new ScheduleRun(j.Key, "Failed", Utc(j.Value.FailedAt) ?? DateTime.MinValue, null, j.Value.ExceptionMessage))))
            .ToList();
        var last = new Dictionary<string, ScheduleRun>();
        foreach (var id in ids)
        {
            var newest = finished.Where(f => IsRunOf(id, f.Job)).Select(f => f.Run).MaxBy(r => r.AtUtc);
            if (newest is not null)
                last[id.ToString()] = newest;
        }
        return last;
    }

    /// <summary>Whether a job is a run of the schedule: its job class, and the monitor's or spec's id as its argument.</summary>
    private static bool IsRunOf(ScheduleId id, Job? job) =>
        job is not null && job.Type == JobType(id) && (id.SubjectId is null || job.Args.FirstOrDefault() is Guid g && g == id.SubjectId);

    private static Type JobType(ScheduleId id) => id.Kind switch
    {
        ScheduleKind.DriftMonitor => typeof(DriftScheduleJob),
        ScheduleKind.TrainingSpec => typeof(TrainingScheduleJob),
        ScheduleKind.AuditDigest => typeof(AuditDigestJob),
        ScheduleKind.PromotionSweep => typeof(PromotionSweepJob),
        ScheduleKind.ArtifactSweep => typeof(ArtifactSweepJob),
        ScheduleKind.TelemetryMaintenance => typeof(TelemetryMaintenanceJob),
        ScheduleKind.ProductionWindows => typeof(ProductionWindowsJob),
        _ => throw new InvalidOperationException($"Unhandled schedule kind {id.Kind}."),
    };

    // Hangfire keeps the mode in the recurring job's hash ("Misfire", the enum's number); absent means Relaxed.
    private static MisfirePolicy? MisfireOf(IStorageConnection connection, string id)
    {
        var hash = connection.GetAllEntriesFromHash($"recurring-job:{id}");
        if (hash is null)
            return null;
        return hash.TryGetValue("Misfire", out var value) && Enum.TryParse<MisfireHandlingMode>(value, out var mode) && mode == MisfireHandlingMode.Ignorable
            ? MisfirePolicy.Skip : MisfirePolicy.RunOnce;
    }

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
