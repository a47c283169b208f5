using System.Diagnostics;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Telemetry;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Telemetry;

/// <summary>
/// Metrics, a span and a logging scope for every job. At enqueue time it keeps who started the job and the caller's
/// trace context as job parameters; when a worker takes the job it records the queue wait; around the run it opens
/// the span (a child of the enqueuing request's span) and the <see cref="JobLogScope"/>, and counts and times the
/// attempt by outcome. Hangfire calls these synchronously on its worker thread, so the scope and span flow into the job.
/// </summary>
public sealed class JobTelemetryFilter(ILoggerFactory loggers, TimeProvider time) : JobFilterAttribute, IClientFilter, IElectStateFilter, IServerFilter
{
    internal const string StartedByParameter = "ControlPlane.StartedBy";
    internal const string TraceParentParameter = "ControlPlane.TraceParent";
    private const string RunItem = "ControlPlane.JobTelemetry";

    private readonly ILogger _logger = loggers.CreateLogger<JobTelemetryFilter>();

    private sealed record Run(long StartedAt, string JobType, Activity? Activity, IDisposable? Scope);

    public void OnCreating(CreatingContext context)
    {
        // The audit origin of the request, page event or job that enqueues: a user's name, "system" for schedules.
        context.SetJobParameter(StartedByParameter, AuditAmbient.Origin.ActorName);
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } caller)
            context.SetJobParameter(TraceParentParameter, caller.Id);
    }

    public void OnCreated(CreatedContext context)
    {
    }

    /// <summary>A worker moving the job from Enqueued to Processing: the time it spent in its queue.</summary>
    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not ProcessingState)
            return;
        try
        {
            var state = context.Connection.GetStateData(context.BackgroundJob.Id);
            if (state?.Name != EnqueuedState.StateName || !state.Data.TryGetValue("EnqueuedAt", out var value)
                || JobHelper.DeserializeNullableDateTime(value) is not { } enqueuedAt)
                return;
            var wait = time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(enqueuedAt, DateTimeKind.Utc);
            ControlPlaneTelemetry.JobQueueWait.Record(Math.Max(0, wait.TotalSeconds), // servers' clocks may differ a little
                new(TelemetryTags.JobType, JobLogScope.TypeOf(context.BackgroundJob.Job)),
                new(TelemetryTags.JobQueue, QueueOf(context.BackgroundJob.Job, state.Data)));
        }
        catch (Exception e)
        {
            // A metric is never worth a job: the state change goes on.
            _logger.LogWarning(e, "Could not measure the queue wait of job {JobId}", context.BackgroundJob.Id);
        }
    }

    // Enqueue(queue, …) keeps the queue on the job; the state then names the default queue.
    private static string QueueOf(Job? job, IDictionary<string, string> state) =>
        job?.Queue ?? (state.TryGetValue("Queue", out var queue) ? queue : "unknown");

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob;
        var type = JobLogScope.TypeOf(job.Job);
        var startedBy = context.GetJobParameter<string>(StartedByParameter, allowStale: true);
        ActivityContext.TryParse(context.GetJobParameter<string>(TraceParentParameter, allowStale: true), null, out var caller);
        var activity = ControlPlaneTelemetry.Source.StartActivity($"job {type}", ActivityKind.Consumer, caller);
        activity?.SetTag(TelemetryTags.JobId, job.Id);
        activity?.SetTag(TelemetryTags.JobType, type);
        var scope = _logger.BeginScope(new JobLogScope(job.Id, job.Job, startedBy));
        ControlPlaneTelemetry.JobsStarted.Add(1, new KeyValuePair<string, object?>(TelemetryTags.JobType, type));
        context.Items[RunItem] = new Run(Stopwatch.GetTimestamp(), type, activity, scope);
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(RunItem, out var item) || item is not Run run)
            return;
        context.Items.Remove(RunItem);
        var error = context.ExceptionHandled ? null : context.Exception;
        var outcome = TelemetryTags.OutcomeOf(error);
        var elapsed = Stopwatch.GetElapsedTime(run.StartedAt);
        KeyValuePair<string, object?>[] tags = [new(TelemetryTags.JobType, run.JobType), new(TelemetryTags.Outcome, outcome)];
        ControlPlaneTelemetry.JobDuration.Record(elapsed.TotalSeconds, tags);
        ControlPlaneTelemetry.JobsCompleted.Add(1, tags);
        _logger.Log(error is null ? LogLevel.Information : LogLevel.Warning,
            "Job {JobId} ({JobType}) {Outcome} after {ElapsedMs:0} ms", context.BackgroundJob.Id, run.JobType, outcome, elapsed.TotalMilliseconds);
        if (run.Activity is { } activity)
        {
            activity.SetTag(TelemetryTags.Outcome, outcome);
            if (error is not null)
            {
                activity.AddException(error.GetBaseException());
                activity.SetStatus(ActivityStatusCode.Error, error.GetBaseException().Message);
            }
            activity.Dispose();
        }
        run.Scope?.Dispose();
    }
}
