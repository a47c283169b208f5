using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Audit;

/// <summary>Reading, verifying and exporting the audit trail: admins and compliance reviewers only.</summary>
public sealed class AuditTrail(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    AuditVerifier verifier,
    AuditDigests digests,
    AuditLog log,
    AuditFacetCache facets,
    IActorContext actor)
{
    public static readonly string[] ReaderRoles = [ControlPlaneRoles.Admin, ControlPlaneRoles.ComplianceReviewer];

    public void EnsureCanRead() => actor.Current.RequireAnyRole(ReaderRoles);

    public async Task<Page<AuditEventView>> SearchAsync(AuditFilter filter, PageRequest page, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Apply(db.AuditEvents.AsNoTracking(), filter);
        var total = await query.CountAsync(ct);
        query = page.SortBy is null || page.Descending ? query.OrderByDescending(e => e.Sequence) : query.OrderBy(e => e.Sequence);
        var rows = await query.Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return new Page<AuditEventView>(rows.Select(AuditEventView.From).ToList(), total);
    }

    /// <summary>What the events touched, named, with the page that shows each (keyed by entity type and id).</summary>
    public async Task<IReadOnlyDictionary<(string Type, string Id), AuditSubject>> SubjectsAsync(IEnumerable<AuditEventView> events, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        var refs = events.Where(e => e.EntityType is not null && Guid.TryParse(e.EntityId, out _))
            .Select(e => (e.EntityType!, Guid.Parse(e.EntityId!))).Distinct().ToList();
        if (refs.Count == 0)
            return new Dictionary<(string, string), AuditSubject>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subjects = await Dashboard.ActivitySubjects.ResolveAsync(db, refs, ct);
        return subjects.ToDictionary(s => (s.Key.Type, s.Key.Id.ToString()), s => new AuditSubject(s.Value.Text, s.Value.Link));
    }

    /// <summary>
    /// The values the filters can take: actions and entity types on record, and the people who acted (job actors,
    /// one per job run, are left out: the action names what they did).
    /// </summary>
    public Task<AuditFacets> FacetsAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        return facets.GetAsync(LoadFacetsAsync, ct);
    }

    private async Task<AuditFacets> LoadFacetsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actions = await db.AuditEvents.Select(e => e.Action).Distinct().OrderBy(a => a).Take(FacetLimit).ToListAsync(ct);
        var types = await db.AuditEvents.Where(e => e.EntityType != null).Select(e => e.EntityType!).Distinct().OrderBy(t => t).Take(FacetLimit).ToListAsync(ct);
        var actors = await db.AuditEvents.Where(e => !e.ActorName.StartsWith(AuditOrigin.JobActorPrefix)).Select(e => e.ActorName).Distinct().OrderBy(a => a).Take(FacetLimit).ToListAsync(ct);
        return new AuditFacets(actions, types, actors);
    }

    private const int FacetLimit = 500;

    /// <summary>The history of one entity, oldest first (the timeline other pages embed).</summary>
    public async Task<IReadOnlyList<AuditEventView>> HistoryAsync(string entityType, string entityId, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.AuditEvents.AsNoTracking()
            .Where(e => e.EntityType == entityType && e.EntityId == entityId)
            .OrderBy(e => e.Sequence).Take(1000).ToListAsync(ct);
        return rows.Select(AuditEventView.From).ToList();
    }

    /// <summary>
    /// Verifies the whole chain against the signed digests (without them the best verdict is <c>unanchored</c>);
    /// the check itself is audited.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(bool useDigest = true, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        var result = await verifier.VerifyAsync(useDigest ? await digests.LoadAsync(ct: ct) : null, ct);
        await log.RecordAsync(AuditActions.AuditVerified, reason: result.State switch
        {
            AuditVerification.IntactState => $"Intact: {result.EventsChecked} events, anchored at {result.AnchoredSequence}",
            AuditVerification.UnanchoredState => $"Unanchored: {result.Problem}",
            _ => $"Broken at {result.FirstBrokenSequence}: {result.Problem}",
        }, ct: ct);
        return result;
    }

    public async Task<AuditDigestEntry> WriteDigestAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        return await digests.WriteAsync(ct);
    }

    /// <summary>The signed digest file as written (an auditor checks it with the public key), or null before the first digest.</summary>
    public Stream? OpenDigests()
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        return File.Exists(digests.DigestFile) ? new FileStream(digests.DigestFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite) : null;
    }

    /// <summary>
    /// Streams the filtered events, oldest first, without loading them all. A signed digest is written first, so a
    /// whole export is anchored up to its own <c>audit.exported</c> event.
    /// </summary>
    public async Task ExportAsync(AuditFilter filter, AuditExportFormat format, TextWriter output, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ReaderRoles);
        await log.RecordAsync(AuditActions.AuditExported, reason: $"{format} export", ct: ct);
        await digests.WriteAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var writer = new AuditExportWriter(output, format);
        await writer.WriteHeaderAsync();
        await foreach (var e in Apply(db.AuditEvents.AsNoTracking(), filter).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
            await writer.WriteAsync(e);
        await output.FlushAsync(ct);
    }

    private static IQueryable<AuditEvent> Apply(IQueryable<AuditEvent> query, AuditFilter f)
    {
        if (!string.IsNullOrWhiteSpace(f.Actor))
            query = query.Where(e => e.ActorName == f.Actor.Trim() || e.ActorId == f.Actor.Trim());
        if (!string.IsNullOrWhiteSpace(f.Action))
        {
            var action = f.Action.Trim();
            query = action.EndsWith('*') ? query.Where(e => e.Action.StartsWith(action.TrimEnd('*'))) : query.Where(e => e.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(f.EntityType))
            query = query.Where(e => e.EntityType == f.EntityType.Trim());
        if (!string.IsNullOrWhiteSpace(f.EntityId))
            query = query.Where(e => e.EntityId == f.EntityId.Trim());
        if (f.FromUtc is { } from)
            query = query.Where(e => e.OccurredAtUtc >= from);
        if (f.ToUtc is { } to)
            query = query.Where(e => e.OccurredAtUtc < to);
        return query;
    }
}
