using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Costs;

/// <summary>
/// What compute cost, by model, kind of job and month; the most expensive runs; retrains that were wasted; monitors
/// that never find drift. Every signed-in role reads costs; a token limited to some models sees only theirs.
/// </summary>
public sealed class Costs(IDbContextFactory<ControlPlaneDbContext> contexts, IOptions<CostOptions> options, TimeProvider time, IActorContext actor)
{
    public const string NoModel = "(no model)";
    public const int MaxTop = 200;
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(3700);

    public async Task<CostSummary> SummaryAsync(DateTime? from, DateTime? to, CostGrouping groupBy, CancellationToken ct = default)
    {
        RequireReader();
        var (start, end) = Range(from, to);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ledger = await CostLedger.LoadAsync(db, options.Value, start, end, Now, ct);
        var names = await ModelNamesAsync(db, ct);
        var visible = ledger.Slices.Where(s => Visible(ledger.Usages[s.UsageId], names)).ToList();
        var groups = visible.GroupBy(s => groupBy switch
            {
                CostGrouping.Model => ModelName(ledger.Usages[s.UsageId], names),
                CostGrouping.Kind => ledger.Usages[s.UsageId].Kind,
                CostGrouping.Month => CostBudgets.MonthText(s.MonthUtc),
                _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
            })
            .Select(g => new CostGroup(g.Key, Round(g.Sum(s => s.Cost)), Round(g.Sum(s => s.Hours)), g.Select(s => s.UsageId).Distinct().Count(),
                g.GroupBy(s => CostBudgets.MonthText(s.MonthUtc)).OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => Round(m.Sum(s => s.Cost)))))
            .OrderBy(g => groupBy == CostGrouping.Month ? g.Key : null, StringComparer.Ordinal).ThenByDescending(g => g.Cost).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new CostSummary(start, end, ledger.Currency, Round(visible.Sum(s => s.Cost)), groupBy, groups);
    }

    public async Task<IReadOnlyList<CostRunView>> TopRunsAsync(int top, DateTime? from, DateTime? to, CancellationToken ct = default)
    {
        RequireReader();
        if (top is < 1 or > MaxTop)
            throw new ValidationException($"top must be from 1 to {MaxTop}.", new Dictionary<string, string[]> { ["top"] = ["Out of range."] });
        var (start, end) = Range(from, to);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ledger = await CostLedger.LoadAsync(db, options.Value, start, end, Now, ct);
        var names = await ModelNamesAsync(db, ct);
        return ledger.Slices.GroupBy(s => s.UsageId)
            .Select(g => (Usage: ledger.Usages[g.Key], Hours: g.Sum(s => s.Hours), Cost: g.Sum(s => s.Cost)))
            .Where(x => Visible(x.Usage, names))
            .OrderByDescending(x => x.Cost).ThenBy(x => x.Usage.StartedAtUtc).Take(top)
            .Select(x => View(x.Usage, names, x.Hours, x.Cost)).ToList();
    }

    /// <summary>
    /// Succeeded training runs whose version scored worse than the champion it was compared with, or has not reached
    /// Production within <see cref="CostOptions.PromotionGraceDays"/> of the run's end; newest first, with what the run cost.
    /// </summary>
    public async Task<IReadOnlyList<WastedRetrainView>> WastedRetrainsAsync(CancellationToken ct = default)
    {
        RequireReader();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingRunStatus.Succeeded && r.ModelVersionId != null)
            .Select(r => new { r.Id, Model = r.Spec!.Model!.Name, Version = (int?)r.ModelVersion!.Number, r.ModelVersionId, r.CompletedAtUtc, r.EvaluationId, r.BaselineEvaluationId })
            .ToListAsync(ct);
        runs = [.. runs.Where(r => actor.Current.Models is not { } allowed || allowed.Contains(r.Model))];
        var versionIds = runs.Select(r => r.ModelVersionId!.Value).ToList();
        var promoted = (await db.StageTransitions.AsNoTracking().Where(t => t.To == LifecycleStage.Production && versionIds.Contains(t.ModelVersionId))
            .Select(t => t.ModelVersionId).ToListAsync(ct)).ToHashSet();
        var evaluationIds = runs.SelectMany(r => new[] { r.EvaluationId, r.BaselineEvaluationId }).OfType<Guid>().ToList();
        var metrics = await db.EvaluationRuns.AsNoTracking().Where(e => evaluationIds.Contains(e.Id)).Select(e => new { e.Id, e.Metrics })
            .ToDictionaryAsync(e => e.Id, e => e.Metrics, ct);
        var graceEnd = Now - TimeSpan.FromDays(options.Value.PromotionGraceDays);
        var wasted = new List<(Guid RunId, string Model, int? Version, DateTime? CompletedAt, WastedReason Reason, string Detail)>();
        foreach (var run in runs)
        {
            var worse = ChampionComparison.Worse(Metrics(run.EvaluationId), Metrics(run.BaselineEvaluationId));
            if (worse is not null)
                wasted.Add((run.Id, run.Model, run.Version, run.CompletedAtUtc, WastedReason.WorseThanChampion, worse));
            else if (!promoted.Contains(run.ModelVersionId!.Value) && run.CompletedAtUtc < graceEnd)
                wasted.Add((run.Id, run.Model, run.Version, run.CompletedAtUtc, WastedReason.NeverPromoted,
                    $"not in Production {options.Value.PromotionGraceDays} days after training"));
        }
        var costs = await CostOfRunsAsync(db, [.. wasted.Select(w => w.RunId)], ct);
        return [.. wasted.OrderByDescending(w => w.CompletedAt)
            .Select(w => new WastedRetrainView(w.RunId, w.Model, w.Version, w.CompletedAt, w.Reason, w.Detail, Round(costs.GetValueOrDefault(w.RunId))))];

        string? Metrics(Guid? id) => id is { } e ? metrics.GetValueOrDefault(e) : null;
    }

    /// <summary>
    /// Enabled, scheduled monitors at least <see cref="CostOptions.IdleMonitorMonths"/> months old whose runs in that time
    /// all succeeded without finding drift (and there was at least one): candidates for a slower schedule.
    /// </summary>
    public async Task<IReadOnlyList<IdleMonitorView>> IdleMonitorsAsync(CancellationToken ct = default)
    {
        RequireReader();
        var months = options.Value.IdleMonitorMonths;
        var since = Now.AddMonths(-months);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var monitors = await db.DriftMonitors.AsNoTracking()
            .Where(m => m.Enabled && m.Schedule != null && m.CreatedAtUtc <= since)
            .Select(m => new { m.Id, m.Name, Model = m.ModelVersion == null ? null : m.ModelVersion.Model!.Name, m.Schedule })
            .ToListAsync(ct);
        monitors = [.. monitors.Where(m => actor.Current.Models is not { } allowed || (m.Model is not null && allowed.Contains(m.Model)))];
        var ids = monitors.Select(m => m.Id).ToList();
        var runs = await db.DriftRuns.AsNoTracking().Where(r => ids.Contains(r.MonitorId) && r.RequestedAtUtc >= since)
            .Select(r => new { r.Id, r.MonitorId, r.Status, r.DatasetDrift, r.CompletedAtUtc }).ToListAsync(ct);
        var byMonitor = runs.ToLookup(r => r.MonitorId);
        var idle = monitors.Where(m => byMonitor[m.Id].Any() && byMonitor[m.Id].All(r => r.Status == DriftRunStatus.Succeeded && r.DatasetDrift == false)).ToList();
        var costs = await CostOfRunsAsync(db, [.. idle.SelectMany(m => byMonitor[m.Id].Select(r => r.Id))], ct);
        return [.. idle.Select(m => new IdleMonitorView(m.Id, m.Name, m.Model, m.Schedule!, byMonitor[m.Id].Count(), byMonitor[m.Id].Max(r => r.CompletedAtUtc),
                Round(byMonitor[m.Id].Sum(r => costs.GetValueOrDefault(r.Id))), months))
            .OrderByDescending(m => m.Cost).ThenBy(m => m.Monitor, StringComparer.Ordinal)];
    }

    /// <summary>Each run's whole cost: its usage rows priced over the span they cover, with every job that shared their workers.</summary>
    private async Task<Dictionary<Guid, double>> CostOfRunsAsync(ControlPlaneDbContext db, List<Guid> runIds, CancellationToken ct)
    {
        var spans = await db.JobUsages.AsNoTracking().Where(u => u.RunId != null && runIds.Contains(u.RunId.Value))
            .Select(u => new { u.StartedAtUtc, u.EndedAtUtc }).ToListAsync(ct);
        if (spans.Count == 0)
            return [];
        var from = spans.Min(s => s.StartedAtUtc);
        var to = spans.Max(s => s.EndedAtUtc ?? Now);
        var ledger = await CostLedger.LoadAsync(db, options.Value, from, to > from ? to : from.AddTicks(1), Now, ct);
        var wanted = runIds.ToHashSet();
        return ledger.Slices.Where(s => ledger.Usages[s.UsageId].RunId is { } id && wanted.Contains(id))
            .GroupBy(s => ledger.Usages[s.UsageId].RunId!.Value).ToDictionary(g => g.Key, g => g.Sum(s => s.Cost));
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Defaults to the twelve calendar months up to the end of this one.</summary>
    private (DateTime From, DateTime To) Range(DateTime? from, DateTime? to)
    {
        var end = to?.ToUniversalTime() ?? CostAttribution.MonthOf(Now).AddMonths(1);
        var start = from?.ToUniversalTime() ?? end.AddMonths(-12);
        if (start >= end)
            throw new ValidationException("from must be before to.", new Dictionary<string, string[]> { ["from"] = ["Must be before to."] });
        if (end - start > MaxRange)
            throw new ValidationException("The range may span at most ten years.", new Dictionary<string, string[]> { ["to"] = ["Range too long."] });
        return (DateTime.SpecifyKind(start, DateTimeKind.Utc), DateTime.SpecifyKind(end, DateTimeKind.Utc));
    }

    private void RequireReader() => actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);

    private bool Visible(JobUsage usage, IReadOnlyDictionary<Guid, string> names) =>
        actor.Current.Models is not { } allowed || (usage.ModelId is { } id && names.TryGetValue(id, out var name) && allowed.Contains(name));

    private static async Task<Dictionary<Guid, string>> ModelNamesAsync(ControlPlaneDbContext db, CancellationToken ct) =>
        await db.Models.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Name, ct);

    private static string ModelName(JobUsage usage, IReadOnlyDictionary<Guid, string> names) =>
        usage.ModelId is { } id && names.TryGetValue(id, out var name) ? name : NoModel;

    private static CostRunView View(JobUsage u, IReadOnlyDictionary<Guid, string> names, double hours, double cost) =>
        new(u.Id, u.JobId, u.Kind, u.RunId, u.ModelId is null ? null : ModelName(u, names), u.Worker, u.Queue, u.StartedAtUtc, u.EndedAtUtc, u.Outcome,
            u.WallMs, u.CpuMs, u.ChildCpuMs, u.PeakMemoryBytes, u.PeakMemoryIsChild, u.GpuMs, u.Rows, Round(hours), Round(cost));

    private static double Round(double value) => Math.Round(value, 6);
}
