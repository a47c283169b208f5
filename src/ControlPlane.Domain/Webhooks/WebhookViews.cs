namespace ControlPlane.Domain.Webhooks;

public sealed record WebhookDeliveryView(Guid Id, string Event, Guid? RunId, string Url, WebhookDeliveryStatus Status, int Attempts, int? LastStatusCode,
    string? LastError, DateTime CreatedAt, DateTime? DeliveredAt);

public sealed record WebhookSubscriptionView(Guid Id, string Url, IReadOnlyList<string> Events, bool HasSecret, bool Enabled, string CreatedBy, DateTime CreatedAt);

/// <summary>A subscription to create or replace: a missing secret keeps the stored one, "" removes it; events "*" means all.</summary>
public sealed record WebhookSubscriptionRequest(string Url, IReadOnlyList<string>? Events, string? Secret, bool Enabled = true);
