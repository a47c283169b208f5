namespace ControlPlane.Domain.Drift;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One alert sent to a monitor's webhook: the exact payload, and how each attempt went.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid MonitorId { get; set; }
    public Guid RunId { get; set; }
    public required string Url { get; set; }
    public required string Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
}
