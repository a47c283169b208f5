using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Jobs;

/// <summary>Admins send a self-test through a queue to see which worker takes it.</summary>
public sealed class WorkerSelfTestService(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IJobScheduler scheduler,
    IActorContext actor,
    TimeProvider time)
{
    public async Task<WorkerSelfTest> RequestAsync(string queue, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.Admin);
        if (!JobQueues.All.Contains(queue))
            throw new ValidationException($"Unknown queue '{queue}'. Use one of: {string.Join(", ", JobQueues.All)}.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var test = new WorkerSelfTest
        {
            Id = Guid.CreateVersion7(),
            Queue = queue,
            RequestedBy = caller.Name,
            RequestedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.WorkerSelfTests.Add(test);
        using (AuditAmbient.BeginAction(AuditActions.WorkerSelfTestRequested, "workerSelfTest", test.Id.ToString(), $"queue {queue}"))
            await db.SaveChangesAsync(ct);
        // The row commits first so the worker always finds it.
        test.JobId = scheduler.EnqueueWorkerSelfTest(test.Id, queue);
        await db.SaveChangesAsync(ct);
        return test;
    }

    public async Task<WorkerSelfTest> GetAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WorkerSelfTests.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct)
            ?? throw new NotFoundException($"Self-test {id} does not exist.");
    }

    public async Task<IReadOnlyList<WorkerSelfTest>> RecentAsync(int count, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WorkerSelfTests.AsNoTracking().OrderByDescending(t => t.RequestedAtUtc).Take(Math.Clamp(count, 1, 100)).ToListAsync(ct);
    }
}
