using System.Collections.Concurrent;
using ControlPlane.Domain.Costs;
using ControlPlane.Domain.Jobs;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// Records every job attempt's usage (<see cref="JobUsage"/>): a row when the worker starts it, completed when it ends
/// with wall time, the CPU of its own threads (<see cref="JobUsageScope"/>) and children, peak memory, GPU time and rows,
/// then checks the model's budget. Failed and cancelled attempts are recorded too. A measurement never fails a job: a
/// database error here is logged.
/// </summary>
public sealed class JobUsageFilter(IServiceScopeFactory scopes, TimeProvider time, string serverName, ILogger logger)
    : JobFilterAttribute, IServerFilter, IElectStateFilter
{
    private const string RunItem = "ControlPlane.JobUsage";
    private readonly ConcurrentDictionary<string, string> _queues = new();

    private sealed record Run(Guid UsageId, long StartedAt, JobUsageScope Scope);

    /// <summary>The queue a job was taken from is on its Enqueued state, which the move to Processing replaces.</summary>
    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not ProcessingState)
            return;
        try
        {
            var state = context.Connection.GetStateData(context.BackgroundJob.Id);
            if (state?.Name == EnqueuedState.StateName && state.Data.TryGetValue("Queue", out var queue))
                _queues[context.BackgroundJob.Id] = queue;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not read the queue of job {JobId}", context.BackgroundJob.Id);
        }
    }

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob;
        var queue = job.Job?.Queue ?? (_queues.TryRemove(job.Id, out var taken) ? taken : JobQueues.Default);
        try
        {
            using var scope = scopes.CreateScope();
            var id = scope.ServiceProvider.GetRequiredService<JobUsageLog>()
                .StartAsync(job.Id, job.Job?.Type.Name ?? "unknown", SubjectOf(job.Job), serverName, queue, time.GetUtcNow().UtcDateTime)
                .GetAwaiter().GetResult();
            // Opened last, on the worker thread, so that it flows into the job and not into the bookkeeping above.
            context.Items[RunItem] = new Run(id, time.GetTimestamp(), JobUsageScope.Begin());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the usage of job {JobId}", job.Id);
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(RunItem, out var item) || item is not Run run)
            return;
        context.Items.Remove(RunItem);
        run.Scope.End();
        var error = context.ExceptionHandled ? null : context.Exception;
        var figures = new JobUsageFigures(time.GetUtcNow().UtcDateTime, error is not null, error?.GetBaseException() is OperationCanceledException,
            time.GetElapsedTime(run.StartedAt).TotalMilliseconds, run.Scope.Cpu.TotalMilliseconds, run.Scope.ChildCpu.TotalMilliseconds,
            run.Scope.PeakMemoryBytes, run.Scope.HasChild, run.Scope.Gpu.TotalMilliseconds, run.Scope.Rows);
        try
        {
            using var scope = scopes.CreateScope();
            var deliveries = scope.ServiceProvider.GetRequiredService<JobUsageLog>().FinishAsync(run.UsageId, figures).GetAwaiter().GetResult();
            var jobs = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
            foreach (var delivery in deliveries)
                jobs.EnqueueWebhookDelivery(delivery.Id);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the usage of job {JobId}", context.BackgroundJob.Id);
        }
    }

    /// <summary>The run a job works on: its last id argument (evaluation, drift run, training run, profile run, comparison).</summary>
    private static Guid? SubjectOf(Job? job) => job?.Args.OfType<Guid>().Select(g => (Guid?)g).LastOrDefault();
}
