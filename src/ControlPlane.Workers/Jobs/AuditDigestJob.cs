using ControlPlane.Domain.Audit;

namespace ControlPlane.Workers.Jobs;

/// <summary>The recurring anchor: appends a signed digest of the chain head to the digest file outside the database.</summary>
public sealed class AuditDigestJob(AuditDigests digests)
{
    public const string RecurringJobId = Domain.Schedules.ScheduleId.AuditDigest;

    public Task RunAsync(CancellationToken ct) => digests.WriteAsync(ct);
}
