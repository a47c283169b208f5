using Hangfire;

namespace ControlPlane.Workers.Demo;

/// <summary>Creates the demo users (their passwords go to the caller, once) and queues the seeding job, which carries no secrets.</summary>
public sealed class DemoLauncher(DemoUsers users, IBackgroundJobClient jobs)
{
    public async Task<IReadOnlyList<DemoUser>> LaunchAsync(CancellationToken ct)
    {
        var created = await users.CreateAsync(ct);
        jobs.Enqueue<DemoSeedJob>(Domain.Jobs.JobQueues.Default, job => job.RunAsync(CancellationToken.None));
        return created;
    }
}
