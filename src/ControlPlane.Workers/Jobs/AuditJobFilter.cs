using ControlPlane.Domain.Audit;
using Hangfire.Common;
using Hangfire.Server;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// Every job run is audited (started, succeeded, failed) and the changes a job saves are attributed to it.
/// Hangfire calls server filters synchronously on its own worker threads (no synchronization context).
/// </summary>
public sealed class AuditJobFilter(AuditLog audit, string serverName) : JobFilterAttribute, IServerFilter
{
    private const string OriginScope = "ControlPlane.AuditOrigin";

    public void OnPerforming(PerformingContext context)
    {
        var origin = AuditOrigin.ForJob(context.BackgroundJob.Id);
        context.Items[OriginScope] = AuditAmbient.UseOrigin(origin);
        // Which process ran it: on several workers, the question after "did it run".
        Record(context.BackgroundJob.Id, AuditActions.JobStarted, $"{Describe(context.BackgroundJob.Job)} on {serverName}", origin);
    }

    public void OnPerformed(PerformedContext context)
    {
        var origin = AuditAmbient.Origin;
        var failed = context.Exception is not null && !context.ExceptionHandled;
        Record(context.BackgroundJob.Id, failed ? AuditActions.JobFailed : AuditActions.JobSucceeded,
            failed ? $"{Describe(context.BackgroundJob.Job)}: {context.Exception!.GetBaseException().Message}" : Describe(context.BackgroundJob.Job), origin);
        if (context.Items.TryGetValue(OriginScope, out var scope))
            ((IDisposable)scope).Dispose();
    }

    private void Record(string jobId, string action, string reason, AuditOrigin origin) =>
        audit.RecordAsync(action, "job", jobId, reason.Length > 1000 ? reason[..1000] : reason, origin: origin).GetAwaiter().GetResult();

    private static string Describe(Job? job) => job is null ? "unknown job" : $"{job.Type.Name}.{job.Method.Name}";
}
