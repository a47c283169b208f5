namespace ControlPlane.Domain.Jobs;

/// <summary>
/// A round trip through the job system: the web enqueues it on a queue and whichever worker
/// takes it records its server name. Admins use it to prove each queue has a live worker.
/// </summary>
public sealed class WorkerSelfTest
{
    public Guid Id { get; set; }
    public required string Queue { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public string? JobId { get; set; }
    public string? ProcessedByServer { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
}
