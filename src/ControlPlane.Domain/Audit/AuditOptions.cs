namespace ControlPlane.Domain.Audit;

/// <summary>Bound from <c>ControlPlane:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "ControlPlane:Audit";

    /// <summary>
    /// Where signed chain digests are appended (outside the database). Relative paths resolve against the data
    /// directory; in production point it at storage the database's administrators cannot rewrite.
    /// </summary>
    public string DigestDirectory { get; set; } = "audit-digests";

    /// <summary>
    /// Minutes between digests (1-60, a divisor of 60): the recurring job's schedule, and the exposure window.
    /// Verification reports the trail as unanchored when the newest digest is more than two intervals behind the head.
    /// </summary>
    public int DigestIntervalMinutes { get; set; } = 5;

    /// <summary>
    /// Holds the chain keys (<c>{id}.key</c>, 32 random bytes in base64) and the digest signing key
    /// (<c>digest-signing.pem</c>). Relative paths resolve against the data directory; in production mount it from
    /// a secret store the database's administrators cannot read. Created with a first key when empty.
    /// </summary>
    public string KeyDirectory { get; set; } = "audit-keys";

    /// <summary>The chain key new events are keyed with; empty means the newest key file (ids sort by time).</summary>
    public string? ActiveKeyId { get; set; }

    public string DigestSchedule => DigestIntervalMinutes == 60 ? "0 * * * *" : $"*/{DigestIntervalMinutes} * * * *";

    public TimeSpan DigestInterval => TimeSpan.FromMinutes(DigestIntervalMinutes);

    public bool IsValid => DigestIntervalMinutes is >= 1 and <= 60 && 60 % DigestIntervalMinutes == 0;
}
