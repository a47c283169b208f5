namespace ControlPlane.Domain.Drift;

/// <summary>An in-app alert everyone signed in sees in the notifications menu (drift found, for now).</summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public string? Link { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
