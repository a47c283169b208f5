namespace ControlPlane.Domain.Webhooks;

/// <summary>An admin's endpoint for product events (promotions, stage and alias changes, drift), signed with its own secret.</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }
    public required string Url { get; set; }
    /// <summary>Encrypted with the app's data-protection keys; never shown again or logged.</summary>
    public string? SecretProtected { get; set; }
    /// <summary>Comma-separated event names, or "*" for all.</summary>
    public required string Events { get; set; }
    public bool Enabled { get; set; } = true;
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }

    public bool Wants(string eventName) => Events == "*" || Events.Split(',').Contains(eventName, StringComparer.Ordinal);
}
