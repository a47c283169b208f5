namespace ControlPlane.Domain.Comparisons;

public enum ComparisonStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One champion/challenger comparison of a model's live traffic over [<see cref="FromUtc"/>, <see cref="ToUtc"/>).
/// The job is keyed by <see cref="Id"/>; the worker writes <see cref="Results"/> (a <see cref="ComparisonResult"/>).
/// </summary>
public sealed class ChallengerComparison
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    /// <summary>What the requester named ("alias:champion", "version:3"), or null: the version that served most primary rows.</summary>
    public string? ChampionRef { get; set; }
    public required string ChallengerRef { get; set; }
    /// <summary>Resolved on request when named; otherwise by the worker from the traffic.</summary>
    public int? ChampionVersion { get; set; }
    public int ChallengerVersion { get; set; }
    public DateTime FromUtc { get; set; }
    public DateTime ToUtc { get; set; }
    /// <summary>Two scores (or values) closer than this count as agreeing.</summary>
    public double Tolerance { get; set; }
    public ComparisonStatus Status { get; set; }
    /// <summary>Shadow or Canary, as found in the traffic; null until the run.</summary>
    public string? Mode { get; set; }
    /// <summary>Labelled pairs (shadow) or the smaller side's labelled rows (canary): what the gate's minimum reads.</summary>
    public long? Labelled { get; set; }
    public string? Results { get; set; }
    public string? Error { get; set; }
    public string? JobId { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
}
