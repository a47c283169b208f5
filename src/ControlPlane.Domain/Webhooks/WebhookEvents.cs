namespace ControlPlane.Domain.Webhooks;

/// <summary>The events the product sends to webhooks; one delivery mechanism carries all of them.</summary>
public static class WebhookEvents
{
    public const string DriftDetected = "drift.detected";
    public const string PromotionRequested = "promotion.requested";
    public const string PromotionApproved = "promotion.approved";
    public const string PromotionRejected = "promotion.rejected";
    public const string PromotionRevoked = "promotion.revoked";
    public const string ModelStageChanged = "model.stage_changed";
    public const string AliasChanged = "alias.changed";
    public const string ProductionDrift = "production.drift";
    public const string ProductionPerformance = "production.performance";
    public const string ProductionSlo = "production.slo";
    public const string ServingLoadFailed = "serving.load_failed";
    public const string CostBudgetExceeded = "cost.budget_exceeded";

    /// <summary>HMAC keys of monitors and subscriptions are protected under one purpose (the name predates subscriptions).</summary>
    public const string SecretPurpose = "ControlPlane.Drift.WebhookSecret";

    public static IReadOnlyList<string> All { get; } =
        [DriftDetected, PromotionRequested, PromotionApproved, PromotionRejected, PromotionRevoked, ModelStageChanged, AliasChanged,
         ProductionDrift, ProductionPerformance, ProductionSlo, ServingLoadFailed, CostBudgetExceeded];
}
