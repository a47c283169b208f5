namespace ControlPlane.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event sent to one webhook: the exact payload, and how each attempt went. The receiver is either a drift
/// monitor's own webhook (<see cref="MonitorId"/>) or an admin's subscription (<see cref="SubscriptionId"/>).
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public required string Event { get; set; }
    public Guid? MonitorId { get; set; }
    public Guid? SubscriptionId { get; set; }
    /// <summary>The drift run that raised it (one alert per run, however often its job runs).</summary>
    public Guid? RunId { get; set; }
    public required string Url { get; set; }
    public required string Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
}
