using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Costs;

/// <summary>Usage rows of a time range and what each is charged in it, per month.</summary>
public sealed record CostLedgerEntries(IReadOnlyDictionary<Guid, JobUsage> Usages, IReadOnlyList<CostSlice> Slices, string Currency)
{
    public double CostOf(Guid usageId) => Slices.Where(s => s.UsageId == usageId).Sum(s => s.Cost);
}

/// <summary>
/// Loads every usage row that overlaps a range (all of a worker's jobs in it, so sharing is seen) and prices them with
/// the current rates. A running row counts up to now; one left open by a dead worker up to its start plus
/// <see cref="CostOptions.StaleAfter"/>.
/// </summary>
public static class CostLedger
{
    public static async Task<CostLedgerEntries> LoadAsync(ControlPlaneDbContext db, CostOptions options, DateTime fromUtc, DateTime toUtc, DateTime nowUtc, CancellationToken ct)
    {
        var usages = await db.JobUsages.AsNoTracking()
            .Where(u => u.StartedAtUtc < toUtc && (u.EndedAtUtc == null || u.EndedAtUtc > fromUtc))
            .ToListAsync(ct);
        var rates = new CostRateTable(options, await db.CostSettings.AsNoTracking()
            .Where(s => s.Kind == CostSettingKind.WorkerRate || s.Kind == CostSettingKind.QueueRate).ToListAsync(ct));
        var spans = usages.Select(u => new UsageSpan(u.Id, u.Worker, u.StartedAtUtc, EndOf(u, options, nowUtc), rates.RateFor(u.Worker, u.Queue)));
        return new CostLedgerEntries(usages.ToDictionary(u => u.Id), CostAttribution.Attribute(spans, fromUtc, toUtc), options.Currency);
    }

    private static DateTime EndOf(JobUsage usage, CostOptions options, DateTime nowUtc)
    {
        if (usage.EndedAtUtc is { } ended)
            return ended;
        var stale = usage.StartedAtUtc + options.StaleAfter;
        return nowUtc < stale ? nowUtc : stale;
    }
}
