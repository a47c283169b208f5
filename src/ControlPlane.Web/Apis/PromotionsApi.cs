using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class PromotionsApi
{
    public static IEndpointRouteBuilder MapPromotionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/promotions").WithTags("Governance").RequireAuthorization();
        api.MapPost("/", RequestAsync).WithName("RequestPromotion").WithSummary("Ask for a version to go to Production or behind an alias, with a justification; pins the evidence (roles per policy).");
        api.MapGet("/", ListAsync).WithName("ListPromotions").WithSummary("Requests, newest first, by status and model; ?inbox=true lists the pending ones assigned to the caller's roles.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetPromotion").WithSummary("One request: gate checklist, pinned evidence and hash, signatures, whether the caller may sign.");
        api.MapPost("/{id:guid}/decisions", DecideAsync).WithName("DecidePromotion")
            .WithSummary("Sign a decision: {decision: approve|reject, meaning: Approved|Reviewed|Rejected, reason, password, overrides?}. 401 on a wrong password (counted toward lockout).");
        api.MapPost("/{id:guid}/withdraw", WithdrawAsync).WithName("WithdrawPromotion").WithSummary("The requester (or an admin) withdraws a pending request.");

        var models = routes.MapGroup("/api/v1/models").WithTags("Governance").RequireAuthorization();
        models.MapPost("/{name}/versions/{version:int}/revoke", RevokeAsync).WithName("RevokePromotion")
            .WithSummary("Revoke the approval that put this version in Production (or behind an alias) and roll back to what it replaced (approver roles, Admin).");
        models.MapGet("/{name}/unapproved-aliases", UnapprovedAliasesAsync).WithName("ListUnapprovedAliases")
            .WithSummary("Protected aliases pointing at versions no approval in force put there (protection added later), for an admin to resolve.");
        models.MapGet("/{name}/hold", GetHoldAsync).WithName("GetModelHold").WithSummary("Whether the model is on hold, and why.");
        models.MapPut("/{name}/hold", PlaceHoldAsync).WithName("PlaceModelHold").WithSummary("Put the model on hold: schedules skip runs, pending requests are invalidated (ComplianceReviewer, Admin).");
        models.MapDelete("/{name}/hold", ReleaseHoldAsync).WithName("ReleaseModelHold").WithSummary("Release the hold; the reason is required as ?reason= (ComplianceReviewer, Admin).");
        models.MapGet("/{name}/production-history", ProductionHistoryAsync).WithName("GetProductionHistory")
            .WithSummary("Which version was in Production when, read from the audit trail; ?at=2026-01-01T00:00:00Z answers for one moment.");
        return routes;
    }

    public static async Task<Created<PromotionView>> RequestAsync(PromotionRequestInput request, Promotions promotions, CancellationToken ct)
    {
        var view = await promotions.RequestAsync(request, ct);
        return TypedResults.Created($"/api/v1/promotions/{view.Id}", view);
    }

    public static async Task<Ok<Page<PromotionSummary>>> ListAsync(Promotions promotions, CancellationToken ct,
        PromotionStatus? status = null, string? model = null, bool inbox = false, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await promotions.ListAsync(new PageRequest(page, pageSize), status, model, inbox, ct: ct));

    public static async Task<Ok<PromotionView>> GetAsync(Guid id, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.GetAsync(id, ct));

    public static async Task<Ok<PromotionView>> DecideAsync(Guid id, DecisionInput decision, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.DecideAsync(id, decision, ct));

    public static async Task<Ok<PromotionView>> WithdrawAsync(Guid id, Promotions promotions, CancellationToken ct, ReasonInput? body = null) =>
        TypedResults.Ok(await promotions.WithdrawAsync(id, body?.Reason, ct));

    public static async Task<Ok<PromotionView>> RevokeAsync(string name, int version, ReasonInput body, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.RevokeAsync(name, version, body.Reason, ct));

    public static async Task<Ok<IReadOnlyList<UnapprovedAlias>>> UnapprovedAliasesAsync(string name, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.UnapprovedAliasesAsync(name, ct));

    public static async Task<Ok<HoldView>> GetHoldAsync(string name, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.GetHoldAsync(name, ct));

    public static async Task<Ok<HoldView>> PlaceHoldAsync(string name, ReasonInput body, Promotions promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.SetHoldAsync(name, true, body.Reason, ct));

    public static async Task<Ok<HoldView>> ReleaseHoldAsync(string name, Promotions promotions, CancellationToken ct, string? reason = null) =>
        TypedResults.Ok(await promotions.SetHoldAsync(name, false, reason ?? "", ct));

    public static async Task<Ok<ProductionHistory>> ProductionHistoryAsync(string name, ProductionHistoryReader history, CancellationToken ct, DateTime? at = null) =>
        TypedResults.Ok(await history.ReadAsync(name, at, ct));
}
