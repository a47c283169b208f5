using ControlPlane.Domain.Jobs;
using ControlPlane.Workers.Jobs;
using Hangfire;

namespace ControlPlane.Workers.Hosting;

internal sealed class HangfireJobScheduler(IBackgroundJobClient jobs) : IJobScheduler
{
    public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) =>
        jobs.Enqueue<WorkerSelfTestJob>(queue, job => job.RunAsync(selfTestId, CancellationToken.None));

    public string EnqueueDatasetProfile(Guid versionId, Guid runId) =>
        jobs.Enqueue<DatasetProfileJob>(JobQueues.Default, job => job.RunAsync(versionId, runId, CancellationToken.None));

    public string EnqueueEvaluation(Guid evaluationId) =>
        jobs.Enqueue<EvaluationJob>(JobQueues.Gpu, job => job.RunAsync(evaluationId, CancellationToken.None));
}
