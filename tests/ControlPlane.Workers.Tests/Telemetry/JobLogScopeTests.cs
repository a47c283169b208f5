using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Telemetry;
using Hangfire.Common;

namespace ControlPlane.Workers.Tests.Telemetry;

public sealed class JobLogScopeTests
{
    [Fact]
    public void A_run_job_names_its_run_id_under_the_parameter_name_and_who_started_it()
    {
        var runId = Guid.NewGuid();
        var scope = new JobLogScope("42", Job.FromExpression<DriftRunJob>(j => j.RunAsync(runId, CancellationToken.None)), "alice");

        Assert.Equal([("JobId", "42"), ("JobType", "DriftRunJob"), ("RunId", runId), ("StartedBy", "alice")],
            scope.Select(kv => (kv.Key, kv.Value)).ToArray<(string, object?)>());
        Assert.Equal($"JobId:42 JobType:DriftRunJob RunId:{runId} StartedBy:alice", scope.ToString());
    }

    [Fact]
    public void Every_id_argument_is_kept_in_order_and_a_job_enqueued_before_the_filter_has_no_starter()
    {
        var (versionId, runId) = (Guid.NewGuid(), Guid.NewGuid());
        var scope = new JobLogScope("7", Job.FromExpression<DatasetProfileJob>(j => j.RunAsync(versionId, runId, CancellationToken.None)), null);

        Assert.Equal(["JobId", "JobType", "VersionId", "RunId"], scope.Select(kv => kv.Key));
        Assert.Equal(versionId, scope[2].Value);
        Assert.Equal(runId, scope[3].Value);
    }
}
