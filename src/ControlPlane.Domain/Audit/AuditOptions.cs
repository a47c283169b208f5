namespace ControlPlane.Domain.Audit;

/// <summary>Bound from <c>ControlPlane:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "ControlPlane:Audit";

    /// <summary>
    /// Where chain digests are appended (outside the database). Relative paths resolve against the data
    /// directory; in production point it at storage the database's administrators cannot rewrite.
    /// </summary>
    public string DigestDirectory { get; set; } = "audit-digests";

    /// <summary>Cron expression of the recurring digest job (UTC).</summary>
    public string DigestSchedule { get; set; } = "0 * * * *";
}
