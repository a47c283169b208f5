namespace ControlPlane.Domain.Identity.Sessions;

/// <summary>One signed-in browser: its cookie carries <see cref="Id"/>, and a revoked or idle session is refused.</summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public ControlPlaneUser? User { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>Updated at most once a minute, so a busy page does not write on every request.</summary>
    public DateTime LastSeenAtUtc { get; set; }
    public string? UserAgent { get; set; }
    public string? IpAddress { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public string? RevokedBy { get; set; }
}
