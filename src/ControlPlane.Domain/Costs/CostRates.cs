using System.Globalization;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Costs;

/// <summary>Rates set in the app (per hour); null or absent maps keep none.</summary>
public sealed record CostRatesInput(IReadOnlyDictionary<string, double>? Workers, IReadOnlyDictionary<string, double>? Queues);

/// <summary>The rates in force: the app's own, and the configured defaults they override.</summary>
public sealed record CostRatesView(
    string Currency, double DefaultHourlyRate, IReadOnlyDictionary<string, double> Workers, IReadOnlyDictionary<string, double> Queues,
    IReadOnlyDictionary<string, double> ConfiguredWorkers, IReadOnlyDictionary<string, double> ConfiguredQueues);

/// <summary>Hourly rates per worker and per queue; admins read and replace them, and each change is audited.</summary>
public sealed class CostRates(IDbContextFactory<ControlPlaneDbContext> contexts, IOptions<CostOptions> options, TimeProvider time, IActorContext actor)
{
    public const double MaxRate = 1e6;
    public const int MaxEntries = 200;

    public async Task<CostRatesView> GetAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return View(await db.CostSettings.AsNoTracking().Where(s => s.Kind == CostSettingKind.WorkerRate || s.Kind == CostSettingKind.QueueRate).ToListAsync(ct));
    }

    public async Task<CostRatesView> SetAsync(CostRatesInput input, CancellationToken ct = default)
    {
        var current = actor.Current;
        current.RequireAnyRole(ControlPlaneRoles.Admin);
        current.RequireScope(TokenScopes.Write);
        var wanted = Validate(input.Workers, CostSettingKind.WorkerRate, "workers", null)
            .Concat(Validate(input.Queues, CostSettingKind.QueueRate, "queues", JobQueues.All)).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stored = await db.CostSettings.Where(s => s.Kind == CostSettingKind.WorkerRate || s.Kind == CostSettingKind.QueueRate).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var old in stored.Where(s => !wanted.Any(w => w.Kind == s.Kind && string.Equals(w.Key, s.Key, StringComparison.OrdinalIgnoreCase))))
            db.CostSettings.Remove(old);
        foreach (var (kind, key, rate) in wanted)
        {
            var row = stored.FirstOrDefault(s => s.Kind == kind && string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
            if (row is null)
                db.CostSettings.Add(new CostSetting
                {
                    Id = Guid.CreateVersion7(), Kind = kind, Key = key, Amount = rate, UpdatedBy = current.Name, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
                });
            else if (row.Amount != rate || row.Key != key)
                (row.Key, row.Amount, row.UpdatedBy, row.UpdatedAtUtc, row.ConcurrencyStamp) = (key, rate, current.Name, now, Guid.NewGuid());
        }
        using (AuditAmbient.BeginAction("costRates.changed", "costRates", "rates",
                   string.Join(", ", wanted.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Kind} {w.Key}={w.Rate}")))))
            await db.SaveChangesAsync(ct);
        return View([.. db.CostSettings.Local.Where(s => s.Kind != CostSettingKind.ModelBudget)]);
    }

    private static IEnumerable<(CostSettingKind Kind, string Key, double Rate)> Validate(
        IReadOnlyDictionary<string, double>? rates, CostSettingKind kind, string field, IReadOnlyList<string>? known)
    {
        if (rates is null)
            return [];
        if (rates.Count > MaxEntries)
            throw Invalid(field, $"{field} may hold at most {MaxEntries} rates.");
        var list = new List<(CostSettingKind, string, double)>();
        foreach (var (name, rate) in rates)
        {
            var key = name.Trim();
            if (key.Length is 0 or > 256)
                throw Invalid(field, $"Each name in {field} must be 1 to 256 characters.");
            if (known is not null && !known.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw Invalid(field, $"Unknown queue '{key}'; the queues are {string.Join(", ", known)}.");
            if (!double.IsFinite(rate) || rate < 0 || rate > MaxRate)
                throw Invalid(field, $"The rate of '{key}' must be from 0 to {MaxRate:0} per hour.");
            if (list.Any(e => string.Equals(e.Item2, key, StringComparison.OrdinalIgnoreCase)))
                throw Invalid(field, $"'{key}' appears twice in {field}.");
            list.Add((kind, key, rate));
        }
        return list;
    }

    private static ValidationException Invalid(string field, string message) => new(message, new Dictionary<string, string[]> { [field] = [message] });

    private CostRatesView View(IReadOnlyCollection<CostSetting> stored)
    {
        var o = options.Value;
        return new CostRatesView(o.Currency, o.DefaultHourlyRate,
            stored.Where(s => s.Kind == CostSettingKind.WorkerRate).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Amount),
            stored.Where(s => s.Kind == CostSettingKind.QueueRate).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Amount),
            new SortedDictionary<string, double>(o.Workers, StringComparer.Ordinal), new SortedDictionary<string, double>(o.Queues, StringComparer.Ordinal));
    }
}
