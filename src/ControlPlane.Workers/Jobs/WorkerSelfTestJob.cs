using ControlPlane.Domain.Persistence;
using ControlPlane.Workers.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Jobs;

/// <summary>Records which worker process took the self-test; running it twice only rewrites the same row.</summary>
public sealed class WorkerSelfTestJob(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<WorkerSelfTestJob> logger)
{
    public async Task RunAsync(Guid selfTestId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var test = await db.WorkerSelfTests.SingleOrDefaultAsync(t => t.Id == selfTestId, ct);
        if (test is null)
        {
            logger.LogWarning("Worker self-test {SelfTestId} no longer exists; nothing to do", selfTestId);
            return;
        }
        test.ProcessedByServer = options.Value.ResolveServerName();
        test.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Worker self-test {SelfTestId} on queue {Queue} processed by {Server}", selfTestId, test.Queue, test.ProcessedByServer);
    }
}
