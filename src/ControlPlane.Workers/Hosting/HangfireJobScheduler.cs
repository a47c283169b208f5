using ControlPlane.Domain.Jobs;
using ControlPlane.Workers.Jobs;
using Hangfire;

namespace ControlPlane.Workers.Hosting;

internal sealed class HangfireJobScheduler(IBackgroundJobClient jobs) : IJobScheduler
{
    public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) =>
        jobs.Enqueue<WorkerSelfTestJob>(queue, job => job.RunAsync(selfTestId, CancellationToken.None));
}
