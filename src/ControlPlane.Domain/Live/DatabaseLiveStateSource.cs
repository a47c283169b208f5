using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Live;

/// <summary>
/// Reads the progress and status columns of every watched row as one UNION ALL query (one round trip per tick,
/// however many pages watch), so pages see the progress of jobs that run in other worker processes.
/// </summary>
public sealed class DatabaseLiveStateSource(IDbContextFactory<ControlPlaneDbContext> contexts) : ILiveStateSource
{
    public async Task<IReadOnlyDictionary<LiveSubject, string>> ReadAsync(IReadOnlyCollection<LiveSubject> subjects, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (Query(db, subjects) is not { } query)
            return new Dictionary<LiveSubject, string>();
        var rows = await query.ToListAsync(ct);
        return rows.GroupBy(r => new LiveSubject(r.Kind, r.Id))
            .ToDictionary(g => g.Key, g => string.Join('|', g.Select(Fingerprint).Order(StringComparer.Ordinal)));
    }

    /// <summary>Every subscribed subject's rows as one query, or null when no subject is of a kind read here.</summary>
    internal static IQueryable<LiveRow>? Query(ControlPlaneDbContext db, IReadOnlyCollection<LiveSubject> subjects)
    {
        IQueryable<LiveRow>? query = null;
        foreach (var part in Parts(db, subjects))
            query = query is null ? part : query.Concat(part);
        return query?.AsNoTracking();
    }

    private static string Fingerprint(LiveRow r) => string.Create(CultureInfo.InvariantCulture, $"{r.Status}:{r.Progress:R}:{r.At?.Ticks}:{r.Until?.Ticks}");

    // Statuses are stored as text of different enums; a CASE turns each into a number so the parts share one shape.
    private static IEnumerable<IQueryable<LiveRow>> Parts(ControlPlaneDbContext db, IReadOnlyCollection<LiveSubject> subjects)
    {
        var profiles = Ids(subjects, LiveKinds.DatasetProfile);
        if (profiles.Count > 0)
            yield return db.DatasetVersions.Where(v => profiles.Contains(v.Id)).Select(v => new LiveRow
            {
                Kind = LiveKinds.DatasetProfile, Id = v.Id, Progress = v.ProfileProgress, At = v.ProfiledAtUtc, Until = null,
                Status = v.ProfileStatus == ProfileStatus.Running ? 1 : v.ProfileStatus == ProfileStatus.Ready ? 2 : v.ProfileStatus == ProfileStatus.Failed ? 3 : 0,
            });
        var evaluations = Ids(subjects, LiveKinds.Evaluation);
        if (evaluations.Count > 0)
            yield return db.EvaluationRuns.Where(e => evaluations.Contains(e.Id)).Select(e => new LiveRow
            {
                Kind = LiveKinds.Evaluation, Id = e.Id, Progress = e.Progress, At = e.StartedAtUtc, Until = e.CompletedAtUtc,
                Status = e.Status == EvaluationStatus.Running ? 1 : e.Status == EvaluationStatus.Succeeded ? 2 : e.Status == EvaluationStatus.Failed ? 3 : 0,
            });
        var runs = Ids(subjects, LiveKinds.DriftRun);
        if (runs.Count > 0)
            yield return db.DriftRuns.Where(r => runs.Contains(r.Id)).Select(r => new LiveRow
            {
                Kind = LiveKinds.DriftRun, Id = r.Id, Progress = r.Progress, At = r.StartedAtUtc, Until = r.CompletedAtUtc,
                Status = r.Status == DriftRunStatus.Running ? 1 : r.Status == DriftRunStatus.Succeeded ? 2 : r.Status == DriftRunStatus.Failed ? 3 : 0,
            });
        var trainings = Ids(subjects, LiveKinds.TrainingRun);
        if (trainings.Count > 0)
            yield return db.TrainingRuns.Where(r => trainings.Contains(r.Id)).Select(r => new LiveRow
            {
                Kind = LiveKinds.TrainingRun, Id = r.Id, Progress = r.Progress, At = r.StartedAtUtc, Until = r.CompletedAtUtc,
                Status = r.Status == Training.TrainingRunStatus.Running ? 1 : r.Status == Training.TrainingRunStatus.Succeeded ? 2
                    : r.Status == Training.TrainingRunStatus.Queued ? 0 : 3,
            });
        var monitors = Ids(subjects, LiveKinds.DriftMonitor);
        if (monitors.Count > 0)
        {
            // A monitor changes when a run is queued, moves or finishes (its last-run time), or when it is edited.
            yield return db.DriftMonitors.Where(m => monitors.Contains(m.Id)).Select(m => new LiveRow
            {
                Kind = LiveKinds.DriftMonitor, Id = m.Id, Status = 0, Progress = 0, At = m.LastRunAtUtc, Until = m.UpdatedAtUtc,
            });
            yield return db.DriftRuns.Where(r => monitors.Contains(r.MonitorId) && (r.Status == DriftRunStatus.Queued || r.Status == DriftRunStatus.Running))
                .Select(r => new LiveRow
                {
                    Kind = LiveKinds.DriftMonitor, Id = r.MonitorId, Status = r.Status == DriftRunStatus.Running ? 1 : 0, Progress = r.Progress,
                    At = r.RequestedAtUtc, Until = null,
                });
        }
        var production = Ids(subjects, LiveKinds.ProductionMonitor);
        if (production.Count > 0)
        {
            // Windows are replaced when recomputed (late data), so the newest computation time and the count say it all.
            yield return db.ProductionMonitors.Where(m => production.Contains(m.Id)).Select(m => new LiveRow
            {
                Kind = LiveKinds.ProductionMonitor, Id = m.Id, Status = 0, Until = m.UpdatedAtUtc,
                Progress = db.ProductionWindows.Count(w => w.MonitorId == m.Id),
                At = db.ProductionWindows.Where(w => w.MonitorId == m.Id).Max(w => (DateTime?)w.ComputedAtUtc),
            });
        }
        if (subjects.Contains(LiveSubject.Notifications))
        {
            // Typed values only: inside this LIMIT subquery PostgreSQL types the literals '0000…' and NULL as text, which
            // the UNION's uuid and timestamp columns refuse. Hence a parameter for the id and the same time twice.
            var notificationsId = LiveSubject.Notifications.Id;
            yield return db.Notifications.OrderByDescending(n => n.CreatedAtUtc).Take(1).Select(n => new LiveRow
            {
                Kind = LiveKinds.Notifications, Id = notificationsId, Status = 0, Progress = 0, At = n.CreatedAtUtc, Until = n.CreatedAtUtc,
            });
        }
    }

    private static List<Guid> Ids(IEnumerable<LiveSubject> subjects, string kind) =>
        [.. subjects.Where(s => s.Kind == kind).Select(s => s.Id)];

    internal sealed class LiveRow
    {
        public required string Kind { get; init; }
        public Guid Id { get; init; }
        public int Status { get; init; }
        public double Progress { get; init; }
        public DateTime? At { get; init; }
        public DateTime? Until { get; init; }
    }
}
