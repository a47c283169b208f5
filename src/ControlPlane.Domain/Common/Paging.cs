namespace ControlPlane.Domain.Common;

/// <summary>One page of a server-side list: 0-based page index, size capped at 200.</summary>
public sealed record PageRequest(int Page = 0, int PageSize = 25, string? Search = null, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 200;

    public int Skip => Math.Max(Page, 0) * Take;
    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);
