namespace ControlPlane.Domain.Governance;

/// <summary>The one place a request leaves Pending.</summary>
internal static class PromotionStates
{
    public static void Close(PromotionRequest request, PromotionStatus status, string? reason, DateTime now)
    {
        if (request.Status != PromotionStatus.Pending)
            throw new InvalidOperationException($"Request {request.Id} is already {request.Status}.");
        request.Status = status;
        request.StatusReason = reason is { Length: > 4000 } r ? r[..4000] : reason;
        request.CompletedAtUtc = now;
        request.ConcurrencyStamp = Guid.NewGuid();
    }
}
