using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Search;

public enum SearchKind
{
    Model,
    Dataset,
    Monitor,
}

public sealed record SearchHit(SearchKind Kind, string Name, string? Description, string Link);

/// <summary>Hits grouped by kind, each group sorted by name and cut at the limit.</summary>
public sealed record SearchResults(string Query, IReadOnlyList<SearchHit> Models, IReadOnlyList<SearchHit> Datasets, IReadOnlyList<SearchHit> Monitors)
{
    public static SearchResults Empty(string query) => new(query, [], [], []);
    public bool IsEmpty => Models.Count + Datasets.Count + Monitors.Count == 0;
}

/// <summary>One search box over models, datasets and drift monitors, with the list pages' own name search.</summary>
public sealed class GlobalSearch(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor)
{
    public const int MaxQueryLength = 200;
    public const int MaxPerKind = 20;

    public async Task<SearchResults> SearchAsync(string? query, int perKind = 5, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        var text = query?.Trim() ?? "";
        if (text.Length > MaxQueryLength)
            throw new ValidationException($"Search for at most {MaxQueryLength} characters.");
        if (text.Length == 0)
            return SearchResults.Empty(text);
        var page = new PageRequest(0, Math.Clamp(perKind, 1, MaxPerKind), text);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var models = await db.Models.AsNoTracking().Search(page).Sort(page).Take(page.Take)
            .Select(m => new { m.Name, m.Description }).ToListAsync(ct);
        var datasets = await db.Datasets.AsNoTracking().Search(page).Sort(page).Take(page.Take)
            .Select(d => new { d.Name, d.Description }).ToListAsync(ct);
        var monitors = await db.DriftMonitors.AsNoTracking().Search(page).Sort(page).Take(page.Take)
            .Select(m => new { m.Id, m.Name, m.Description }).ToListAsync(ct);
        return new SearchResults(text,
            [.. models.Select(m => new SearchHit(SearchKind.Model, m.Name, m.Description, $"/models/{Uri.EscapeDataString(m.Name)}"))],
            [.. datasets.Select(d => new SearchHit(SearchKind.Dataset, d.Name, d.Description, $"/datasets/{Uri.EscapeDataString(d.Name)}"))],
            [.. monitors.Select(m => new SearchHit(SearchKind.Monitor, m.Name, m.Description, $"/drift/monitors/{m.Id}"))]);
    }
}
