using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Dashboard;

/// <summary>
/// The home page's figures for the signed-in user: the same overview for every role, plus a panel per role.
/// Each figure is one set-based query (counts grouped in SQL, top-N lists), whatever the amount of data.
/// </summary>
public sealed class DashboardQueries(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor, IJobMonitor jobs)
{
    private const int ListSize = 6;

    public async Task<DashboardView> GetAsync(CancellationToken ct = default)
    {
        var who = actor.Current;
        who.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var totals = new Totals(await db.Models.CountAsync(ct), await db.Datasets.CountAsync(ct), await db.DriftMonitors.CountAsync(ct), await db.EvaluationRuns.CountAsync(ct));
        var stages = await db.Versions.GroupBy(v => v.Stage).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var verdicts = await db.DriftMonitors.GroupBy(m => m.LastRunDrifted).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var drift = new DriftOverview(
            verdicts.Where(v => v.Key == true).Sum(v => v.Count), verdicts.Where(v => v.Key == false).Sum(v => v.Count), verdicts.Where(v => v.Key is null).Sum(v => v.Count));
        return new DashboardView(totals, Enum.GetValues<LifecycleStage>().ToDictionary(s => s, s => stages.GetValueOrDefault(s)), drift,
            await RecentActivityAsync(db, ct),
            who.IsInRole(ControlPlaneRoles.DataScientist) ? await ScientistPanelAsync(db, who.Name, ct) : null,
            who.IsInRole(ControlPlaneRoles.Admin) ? await AdminPanelAsync(db, ct) : null,
            who.IsInRole(ControlPlaneRoles.ComplianceReviewer) || who.IsInRole(ControlPlaneRoles.Admin));
    }

    private static async Task<IReadOnlyList<ActivityItem>> RecentActivityAsync(ControlPlaneDbContext db, CancellationToken ct)
    {
        var events = await db.AuditEvents.AsNoTracking()
            // Job starts are bookkeeping; their outcome follows as its own event.
            .Where(e => e.EntityType != null && ActivityText.SharedEntityTypes.Contains(e.EntityType) && !e.Action.EndsWith("started"))
            .OrderByDescending(e => e.Sequence).Take(ListSize)
            .Select(e => new { e.OccurredAtUtc, e.ActorName, e.Action, e.EntityType, e.EntityId }).ToListAsync(ct);
        var refs = events.Select(e => (Type: e.EntityType!, Id: Guid.TryParse(e.EntityId, out var id) ? id : Guid.Empty)).Where(r => r.Id != Guid.Empty).ToList();
        var subjects = await ActivitySubjects.ResolveAsync(db, refs, ct);
        return events.Select(e =>
        {
            var subject = Guid.TryParse(e.EntityId, out var id) ? subjects.GetValueOrDefault((e.EntityType!, id)) : null;
            return new ActivityItem(e.OccurredAtUtc, e.ActorName, e.Action, ActivityText.Describe(e.ActorName, e.Action, subject?.Text), subject?.Link);
        }).ToList();
    }

    /// <summary>One's own models and evaluations; where one has none yet (a newcomer), the team's latest instead, flagged as such.</summary>
    private static async Task<ScientistPanel> ScientistPanelAsync(ControlPlaneDbContext db, string me, CancellationToken ct)
    {
        Task<List<OwnedModel>> ModelsOf(IQueryable<RegisteredModel> query) => query.AsNoTracking().OrderByDescending(m => m.UpdatedAtUtc).Take(ListSize)
            .Select(m => new OwnedModel(m.Name, m.LatestVersionNumber,
                m.Versions.Where(v => v.Number == m.LatestVersionNumber).Select(v => (LifecycleStage?)v.Stage).FirstOrDefault(), m.UpdatedAtUtc))
            .ToListAsync(ct);
        Task<List<RecentEvaluation>> EvaluationsOf(IQueryable<EvaluationRun> query) => query.AsNoTracking().OrderByDescending(e => e.RequestedAtUtc).Take(ListSize)
            .Select(e => new RecentEvaluation(e.Id, e.ModelVersion!.Model!.Name, e.ModelVersion.Number, e.DatasetVersion!.Dataset!.Name, e.DatasetVersion.Number, e.Status, e.RequestedAtUtc))
            .ToListAsync(ct);
        var models = await ModelsOf(db.Models.Where(m => m.Owner == me));
        var teamModels = models.Count == 0;
        if (teamModels)
            models = await ModelsOf(db.Models);
        var evaluations = await EvaluationsOf(db.EvaluationRuns.Where(e => e.RequestedBy == me));
        var teamEvaluations = evaluations.Count == 0;
        if (teamEvaluations)
            evaluations = await EvaluationsOf(db.EvaluationRuns);
        var alerts = await db.DriftMonitors.AsNoTracking().Where(m => m.LastRunDrifted == true).OrderByDescending(m => m.LastRunAtUtc).Take(ListSize)
            .Select(m => new DriftAlert(m.Id, m.Name, m.LastRunAtUtc)).ToListAsync(ct);
        return new ScientistPanel(models, evaluations, alerts, teamModels, teamEvaluations);
    }

    private async Task<AdminPanel> AdminPanelAsync(ControlPlaneDbContext db, CancellationToken ct) =>
        new(ReadJobsQuietly(), await db.Users.CountAsync(ct), await db.DriftMonitors.CountAsync(m => m.Enabled && m.Schedule != null, ct));

    // The job storage being unreachable is itself what an admin should see, not an error page.
    private JobSystemStatus? ReadJobsQuietly()
    {
        try { return jobs.Read(); }
        catch (Exception) { return null; }
    }
}
