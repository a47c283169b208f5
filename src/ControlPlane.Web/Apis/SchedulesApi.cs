using ControlPlane.Domain.Schedules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public sealed record TriggeredJob(string ScheduleId, string JobId);

/// <summary>
/// Every recurring job of the product. Ids are the stable recurring-job ids used as one path segment, as they are
/// (<c>/api/v1/schedules/drift-monitor:0190…/pause</c>) or URL-encoded (<c>drift-monitor%3A0190…</c>).
/// </summary>
public static class SchedulesApi
{
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/schedules").WithTags("Schedules").RequireAuthorization();
        api.MapGet("/", ListAsync).WithName("ListSchedules")
            .WithSummary("Every recurring job: drift monitors, training specs, audit digest, promotion sweep; cron, description, time zone, next and last run (Admin).");
        api.MapPost("/", CreateAsync).WithName("CreateSchedule")
            .WithSummary("Give a monitor or spec a schedule: {id: \"drift-monitor:{guid}\" | \"training-spec:{guid}\", cron, timeZone, misfire: RunOnce|Skip, reason} (Admin).");
        api.MapGet("/proposals", ListProposalsAsync).WithName("ListScheduleProposals")
            .WithSummary("Schedule proposals, newest first, optionally ?status=Pending (Admin: all; DataScientist: their own).");
        api.MapPost("/proposals", ProposeAsync).WithName("ProposeSchedule")
            .WithSummary("Propose {scheduleId, cron (empty removes), timeZone, reason} for a monitor or spec you or your model own; applied at once unless ControlPlane:Schedules:ProposalsNeedApproval (DataScientist, Admin).");
        api.MapPost("/proposals/{proposalId:guid}/approve", ApproveAsync).WithName("ApproveScheduleProposal").WithSummary("Approve a pending proposal and apply it {reason} (Admin).");
        api.MapPost("/proposals/{proposalId:guid}/reject", RejectAsync).WithName("RejectScheduleProposal").WithSummary("Reject a pending proposal {reason} (Admin).");
        api.MapGet("/{id}", GetAsync).WithName("GetSchedule").WithSummary("One schedule (Admin).");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateSchedule")
            .WithSummary("Change {cron, timeZone, misfire?, reason}; a bad cron or unknown time zone is a 400 (Admin).");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteSchedule")
            .WithSummary("Remove a monitor's or spec's schedule (?reason= required); the monitor or spec stays. Built-in jobs can only be paused (409) (Admin).");
        api.MapPost("/{id}/pause", PauseAsync).WithName("PauseSchedule").WithSummary("Pause {reason}: no runs are queued until resumed (Admin).");
        api.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeSchedule").WithSummary("Resume {reason} (Admin).");
        api.MapPost("/{id}/trigger", TriggerAsync).WithName("TriggerSchedule").WithSummary("Run now {reason}: 202 with the job id; 409 while paused (Admin).");
        api.MapGet("/{id}/history", HistoryAsync).WithName("ScheduleHistory").WithSummary("Recent runs the job system remembers, newest first (?count=, at most 100) (Admin).");
        return routes;
    }

    public static async Task<Ok<IReadOnlyList<ScheduleView>>> ListAsync(Schedules schedules, CancellationToken ct) => TypedResults.Ok(await schedules.ListAsync(ct));

    public static async Task<Ok<ScheduleView>> GetAsync(string id, Schedules schedules, CancellationToken ct) => TypedResults.Ok(await schedules.GetAsync(id, ct));

    public static async Task<Created<ScheduleView>> CreateAsync(ScheduleInput input, Schedules schedules, CancellationToken ct)
    {
        var view = await schedules.CreateAsync(input, ct);
        return TypedResults.Created($"/api/v1/schedules/{view.Id}", view);
    }

    public static async Task<Ok<ScheduleView>> UpdateAsync(string id, ScheduleInput input, Schedules schedules, CancellationToken ct) =>
        TypedResults.Ok(await schedules.UpdateAsync(id, input, ct));

    public static async Task<NoContent> DeleteAsync(string id, string? reason, Schedules schedules, CancellationToken ct)
    {
        await schedules.DeleteAsync(id, reason, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ScheduleView>> PauseAsync(string id, ScheduleReason input, Schedules schedules, CancellationToken ct) =>
        TypedResults.Ok(await schedules.PauseAsync(id, input.Reason, ct));

    public static async Task<Ok<ScheduleView>> ResumeAsync(string id, ScheduleReason input, Schedules schedules, CancellationToken ct) =>
        TypedResults.Ok(await schedules.ResumeAsync(id, input.Reason, ct));

    public static async Task<Accepted<TriggeredJob>> TriggerAsync(string id, ScheduleReason input, Schedules schedules, CancellationToken ct)
    {
        var jobId = await schedules.TriggerAsync(id, input.Reason, ct);
        return TypedResults.Accepted((string?)null, new TriggeredJob(ScheduleId.Parse(id).ToString(), jobId));
    }

    public static async Task<Ok<IReadOnlyList<ScheduleRun>>> HistoryAsync(string id, Schedules schedules, CancellationToken ct, int count = 20) =>
        TypedResults.Ok(await schedules.HistoryAsync(id, count, ct));

    public static async Task<Ok<IReadOnlyList<ScheduleProposalView>>> ListProposalsAsync(ScheduleProposals proposals, CancellationToken ct, ScheduleProposalStatus? status = null) =>
        TypedResults.Ok(await proposals.ListAsync(status, ct));

    public static async Task<Created<ScheduleProposalView>> ProposeAsync(ScheduleProposalInput input, ScheduleProposals proposals, CancellationToken ct)
    {
        var view = await proposals.ProposeAsync(input, ct);
        return TypedResults.Created($"/api/v1/schedules/proposals/{view.Id}", view);
    }

    public static async Task<Ok<ScheduleProposalView>> ApproveAsync(Guid proposalId, ScheduleReason input, ScheduleProposals proposals, CancellationToken ct) =>
        TypedResults.Ok(await proposals.ApproveAsync(proposalId, input.Reason, ct));

    public static async Task<Ok<ScheduleProposalView>> RejectAsync(Guid proposalId, ScheduleReason input, ScheduleProposals proposals, CancellationToken ct) =>
        TypedResults.Ok(await proposals.RejectAsync(proposalId, input.Reason, ct));
}
