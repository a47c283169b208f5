using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Costs;

/// <summary>The measured figures of one finished job attempt.</summary>
public sealed record JobUsageFigures(
    DateTime EndedAtUtc, bool Threw, bool Cancelled, double WallMs, double CpuMs, double ChildCpuMs, long PeakMemoryBytes, bool PeakMemoryIsChild,
    double GpuMs, long? Rows);

/// <summary>
/// Writes usage rows for the job server filter: one when a worker starts a job (so concurrent jobs see each other), the
/// figures when it ends, and then the model's budget check. Rows are measurements, outside the audit trail.
/// </summary>
public sealed class JobUsageLog(IDbContextFactory<ControlPlaneDbContext> contexts, CostBudgets budgets)
{
    public async Task<Guid> StartAsync(string jobId, string kind, Guid? runId, string worker, string queue, DateTime startedAtUtc, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var usage = new JobUsage
        {
            Id = Guid.CreateVersion7(), JobId = Clip(jobId, 64), Kind = Clip(kind, 128), RunId = runId, Worker = Clip(worker, 256), Queue = Clip(queue, 64),
            StartedAtUtc = startedAtUtc, Outcome = JobUsageOutcome.Running,
        };
        db.JobUsages.Add(usage);
        await db.SaveChangesAsync(ct);
        return usage.Id;
    }

    /// <summary>Completes the row; returns the webhook deliveries a budget alert created, for the caller to enqueue.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> FinishAsync(Guid usageId, JobUsageFigures figures, CancellationToken ct = default)
    {
        Guid? modelId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var usage = await db.JobUsages.SingleAsync(u => u.Id == usageId, ct);
            var subject = await JobSubjects.ResolveAsync(db, usage.Kind, usage.RunId, ct);
            usage.ModelId = subject.ModelId;
            usage.EndedAtUtc = figures.EndedAtUtc < usage.StartedAtUtc ? usage.StartedAtUtc : figures.EndedAtUtc;
            usage.Outcome = figures.Cancelled ? JobUsageOutcome.Cancelled
                : figures.Threw ? JobUsageOutcome.Failed
                : subject.RunOutcome ?? JobUsageOutcome.Succeeded;
            (usage.WallMs, usage.CpuMs, usage.ChildCpuMs, usage.GpuMs, usage.Rows) = (figures.WallMs, figures.CpuMs, figures.ChildCpuMs, figures.GpuMs, figures.Rows);
            (usage.PeakMemoryBytes, usage.PeakMemoryIsChild) = (figures.PeakMemoryBytes, figures.PeakMemoryIsChild);
            await db.SaveChangesAsync(ct);
            modelId = usage.ModelId;
        }
        return modelId is { } id ? await budgets.CheckAsync(id, ct) : [];
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
}
