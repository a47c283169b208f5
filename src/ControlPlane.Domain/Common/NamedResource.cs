namespace ControlPlane.Domain.Common;

/// <summary>What the list pages of named things (models, datasets, monitors) search and sort by.</summary>
public interface INamedResource
{
    string NormalizedName { get; }
    DateTime CreatedAtUtc { get; }
    DateTime UpdatedAtUtc { get; }
}

internal static class NamedResourceQueries
{
    /// <summary>Name contains the search text, ignoring case (names are stored upper-cased for that).</summary>
    public static IQueryable<T> Search<T>(this IQueryable<T> query, PageRequest page) where T : class, INamedResource
    {
        if (string.IsNullOrWhiteSpace(page.Search))
            return query;
        var needle = page.Search.Trim().ToUpperInvariant();
        return query.Where(r => r.NormalizedName.Contains(needle));
    }

    /// <summary>By name (default), updatedAt or createdAt, in SQL on every provider.</summary>
    public static IQueryable<T> Sort<T>(this IQueryable<T> query, PageRequest page) where T : class, INamedResource =>
        (page.SortBy?.ToLowerInvariant(), page.Descending) switch
        {
            ("updatedat", false) => query.OrderBy(r => r.UpdatedAtUtc),
            ("updatedat", true) => query.OrderByDescending(r => r.UpdatedAtUtc),
            ("createdat", false) => query.OrderBy(r => r.CreatedAtUtc),
            ("createdat", true) => query.OrderByDescending(r => r.CreatedAtUtc),
            (_, true) => query.OrderByDescending(r => r.NormalizedName),
            _ => query.OrderBy(r => r.NormalizedName),
        };
}
