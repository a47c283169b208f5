using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// Data scientists propose schedules for the monitors and specs of their models; depending on
/// <see cref="ScheduleOptions.ProposalsNeedApproval"/> an admin approves them or they apply at once.
/// </summary>
public sealed class ScheduleProposals(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    Schedules schedules,
    BuiltInSchedules builtIns,
    IOptions<ScheduleOptions> options,
    IActorContext actor,
    TimeProvider time)
{
    public async Task<ScheduleProposalView> ProposeAsync(ScheduleProposalInput input, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin);
        var id = ScheduleId.Parse(input.ScheduleId ?? throw ScheduleRules.Invalid("scheduleId", "Name the monitor or spec: drift-monitor:{guid} or training-spec:{guid}."));
        if (id.IsBuiltIn)
            throw new ForbiddenException("Built-in jobs are scheduled by admins only.");
        var reason = ScheduleRules.Reason(input.Reason);
        var cron = string.IsNullOrWhiteSpace(input.Cron) ? null : input.Cron.Trim();
        if (cron is not null)
            ScheduleRules.Cron(cron, options.Value);
        var timeZone = ScheduleRules.TimeZone(input.TimeZone).Id;
        var now = time.GetUtcNow().UtcDateTime;
        var proposal = new ScheduleProposal
        {
            Id = Guid.CreateVersion7(), ScheduleId = id.ToString(), Cron = cron, TimeZone = timeZone, Reason = reason,
            ProposedBy = caller.Name, ProposedAtUtc = now, Status = ScheduleProposalStatus.Pending,
        };
        string subject;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var target = await ScheduleTargets.LoadAsync(db, id, builtIns, caller.Name, now, ct);
            if (!caller.IsInRole(ControlPlaneRoles.Admin) && !target.IsOwnedBy(caller.Name))
                throw new ForbiddenException($"Only the owner of {target.Subject} or of its model may propose its schedule.");
            // A schedule is part of the monitor or spec: proposing one is editing it, under the model's restriction.
            if (target.Governed is { } governed)
                await Registry.Permissions.ModelPermissionCheck.RequireAsync(db, caller, governed.Model, governed.Action, ct);
            subject = target.Subject;
            if (options.Value.ProposalsNeedApproval)
            {
                db.ScheduleProposals.Add(proposal);
                using (AuditAmbient.BeginAction("schedule.proposed", "schedule", proposal.ScheduleId, reason))
                    await db.SaveChangesAsync(ct);
                return View(proposal, subject);
            }
        }
        // No approval needed: the proposal is recorded and applied in one audited save.
        proposal.Status = ScheduleProposalStatus.Applied;
        (proposal.DecidedBy, proposal.DecidedAtUtc) = ("(no approval needed)", now);
        await schedules.ApplyAsync(id, "schedule.proposal_applied", reason, caller.Name, (target, _) => Apply(target, proposal), ct,
            (db, _) => { db.ScheduleProposals.Add(proposal); return Task.CompletedTask; });
        return View(proposal, subject);
    }

    public Task<ScheduleProposalView> ApproveAsync(Guid proposalId, string? reason, CancellationToken ct = default) =>
        DecideAsync(proposalId, reason, approve: true, ct);

    public Task<ScheduleProposalView> RejectAsync(Guid proposalId, string? reason, CancellationToken ct = default) =>
        DecideAsync(proposalId, reason, approve: false, ct);

    /// <summary>Admins see every proposal; data scientists see their own.</summary>
    public async Task<IReadOnlyList<ScheduleProposalView>> ListAsync(ScheduleProposalStatus? status = null, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.ScheduleProposals.AsNoTracking();
        if (!caller.IsInRole(ControlPlaneRoles.Admin))
            query = query.Where(p => p.ProposedBy == caller.Name);
        if (status is { } s)
            query = query.Where(p => p.Status == s);
        var rows = await query.OrderByDescending(p => p.ProposedAtUtc).Take(200).ToListAsync(ct);
        var subjects = await SubjectsAsync(db, rows.Select(r => r.ScheduleId).Distinct().ToList(), ct);
        return rows.Select(r => View(r, subjects.GetValueOrDefault(r.ScheduleId, r.ScheduleId))).ToList();
    }

    private async Task<ScheduleProposalView> DecideAsync(Guid proposalId, string? reason, bool approve, CancellationToken ct)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.Admin);
        var why = ScheduleRules.Reason(reason);
        var now = time.GetUtcNow().UtcDateTime;
        ScheduleProposal proposal;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            proposal = await db.ScheduleProposals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == proposalId, ct)
                ?? throw new NotFoundException($"Schedule proposal {proposalId} does not exist.");
        if (proposal.Status != ScheduleProposalStatus.Pending)
            throw new ConflictException($"The proposal was already {proposal.Status.ToString().ToLowerInvariant()}.");
        void Decide() => (proposal.Status, proposal.DecidedBy, proposal.DecidedAtUtc, proposal.DecisionReason) =
            (approve ? ScheduleProposalStatus.Approved : ScheduleProposalStatus.Rejected, caller.Name, now, why);
        var id = ScheduleId.Parse(proposal.ScheduleId);
        if (!approve)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.ScheduleProposals.Attach(proposal);
            Decide();
            using (AuditAmbient.BeginAction("schedule.proposal_rejected", "schedule", proposal.ScheduleId, why))
                await db.SaveChangesAsync(ct);
            var names = await SubjectsAsync(db, [proposal.ScheduleId], ct);
            return View(proposal, names.GetValueOrDefault(proposal.ScheduleId, proposal.ScheduleId));
        }
        string subject = proposal.ScheduleId;
        await schedules.ApplyAsync(id, "schedule.proposal_approved", why, caller.Name, (target, _) =>
        {
            subject = target.Subject;
            Apply(target, proposal);
        }, ct, (db, _) =>
        {
            db.ScheduleProposals.Attach(proposal);
            Decide();
            return Task.CompletedTask;
        });
        return View(proposal, subject);
    }

    private static void Apply(ScheduleTarget target, ScheduleProposal proposal)
    {
        target.Cron = proposal.Cron;
        target.TimeZone = proposal.TimeZone;
        if (proposal.Cron is not null)
            target.Enabled = true;
    }

    private async Task<Dictionary<string, string>> SubjectsAsync(ControlPlaneDbContext db, List<string> ids, CancellationToken ct)
    {
        var result = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            try
            {
                result[id] = (await ScheduleTargets.LoadAsync(db, ScheduleId.Parse(id), builtIns, "", time.GetUtcNow().UtcDateTime, ct)).Subject;
            }
            catch (NotFoundException)
            {
                // the subject is gone; the raw id is shown
            }
        }
        return result;
    }

    private static ScheduleProposalView View(ScheduleProposal p, string subject) =>
        new(p.Id, p.ScheduleId, subject, p.Cron, p.Cron is null ? "remove the schedule" : CronDescriber.Describe(p.Cron), p.TimeZone, p.Reason, p.Status,
            p.ProposedBy, p.ProposedAtUtc, p.DecidedBy, p.DecidedAtUtc, p.DecisionReason);
}
