using System.Globalization;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Comparisons;

/// <summary>
/// Champion/challenger comparisons of a model's live traffic. Every role reads; data scientists and admins with the
/// write scope run one (it reads telemetry and changes nothing governed). A token limited to other models stops at
/// the model's lookup. Aliases are resolved to version numbers when the comparison is requested, so a later move of
/// the alias does not change what it compared.
/// </summary>
public sealed class ChallengerComparisons(IDbContextFactory<ControlPlaneDbContext> contexts, IJobScheduler jobs, IActorContext actor, TimeProvider time)
{
    public const string DefaultChallenger = "challenger";
    public const double DefaultTolerance = 0.05;
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(93);
    private static readonly string[] Runners = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];

    public async Task<ComparisonView> RequestAsync(string model, ComparisonRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Runners);
        actor.Current.RequireScope(TokenScopes.Write);
        var now = time.GetUtcNow().UtcDateTime;
        // Whole hours (from rounded down, to rounded up): telemetry segments hold one hour each, so a range of whole
        // hours reads whole segments.
        var to = Hour(request.To?.ToUniversalTime() ?? now, up: true);
        var from = Hour(request.From?.ToUniversalTime() ?? to.AddDays(-1), up: false);
        if (from >= to)
            throw ValidationException.For("from", "'from' is before 'to'.");
        if (to - from > MaxRange)
            throw ValidationException.For("to", $"A comparison covers at most {MaxRange.TotalDays:0} days.");
        var tolerance = request.Tolerance ?? DefaultTolerance;
        if (!(tolerance >= 0 && double.IsFinite(tolerance)))
            throw ValidationException.For("tolerance", "The agreement tolerance is a number, 0 or more.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var challenger = await ResolveAsync(db, registered, request.Challenger ?? DefaultChallenger, "challenger", ct);
        var champion = string.IsNullOrWhiteSpace(request.Champion) ? ((string?)null, (int?)null) : await ResolveAsync(db, registered, request.Champion, "champion", ct);
        if (champion.Item2 == challenger.Version)
            throw ValidationException.For("challenger", $"The champion and the challenger are both version {challenger.Version}.");
        var comparison = new ChallengerComparison
        {
            Id = Guid.CreateVersion7(), ModelId = registered.Id, ChampionRef = champion.Item1, ChampionVersion = champion.Item2,
            ChallengerRef = challenger.Ref, ChallengerVersion = challenger.Version, FromUtc = from, ToUtc = to, Tolerance = tolerance,
            Status = ComparisonStatus.Queued, RequestedBy = actor.Current.Name, RequestedAtUtc = now,
        };
        db.ChallengerComparisons.Add(comparison);
        using (AuditAmbient.BeginAction("comparison.requested", "comparison", comparison.Id.ToString(),
                   $"{registered.Name}: v{challenger.Version} against {champion.Item1 ?? "the primary traffic"}"))
            await db.SaveChangesAsync(ct);
        comparison.JobId = jobs.EnqueueChallengerComparison(comparison.Id);
        await db.SaveChangesAsync(ct);
        return View(registered.Name, comparison);
    }

    /// <summary>The model's comparisons, newest first.</summary>
    public async Task<Page<ComparisonView>> ListAsync(string model, PageRequest page, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var query = db.ChallengerComparisons.AsNoTracking().Where(c => c.ModelId == registered.Id);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.RequestedAtUtc).ThenByDescending(c => c.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return new Page<ComparisonView>(rows.Select(c => View(registered.Name, c)).ToList(), total);
    }

    public async Task<ComparisonView> GetAsync(string model, Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindModelAsync(db, model, ct);
        var comparison = await db.ChallengerComparisons.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.ModelId == registered.Id, ct)
            ?? throw new NotFoundException($"Model '{registered.Name}' has no comparison {id}.");
        return View(registered.Name, comparison);
    }

    private static DateTime Hour(DateTime utc, bool up)
    {
        var floor = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
        return up && floor != utc ? floor.AddHours(1) : floor;
    }

    internal static ComparisonView View(string model, ChallengerComparison c) =>
        new(c.Id, model, c.ChampionRef, c.ChampionVersion, c.ChallengerRef, c.ChallengerVersion, c.FromUtc, c.ToUtc, c.Tolerance, c.Status, c.Mode,
            c.Labelled, c.Error, c.JobId, c.RequestedBy, c.RequestedAtUtc, c.StartedAtUtc, c.CompletedAtUtc,
            c.Results is null ? null : ComparisonResult.FromJson(c.Results));

    private async Task<RegisteredModel> FindModelAsync(ControlPlaneDbContext db, string model, CancellationToken ct)
    {
        var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        actor.Current.RequireModel(registered.Name);
        return registered;
    }

    /// <summary>A version number that exists, or an alias of the model: ("version:3" or "alias:name", the number).</summary>
    private static async Task<(string Ref, int Version)> ResolveAsync(ControlPlaneDbContext db, RegisteredModel model, string key, string field, CancellationToken ct)
    {
        var text = key.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (!await db.Versions.AnyAsync(v => v.ModelId == model.Id && v.Number == number, ct))
                throw ValidationException.For(field, $"Model '{model.Name}' has no version {number}.");
            return ($"version:{number}", number);
        }
        var aliases = await db.Aliases.AsNoTracking().Where(a => a.ModelId == model.Id).Select(a => new { a.Name, a.Version!.Number }).ToListAsync(ct);
        var alias = aliases.FirstOrDefault(a => string.Equals(a.Name, text, StringComparison.OrdinalIgnoreCase))
            ?? throw ValidationException.For(field, $"Model '{model.Name}' has no alias '{text}' (name a version number or an alias).");
        return ($"alias:{alias.Name}", alias.Number);
    }
}
