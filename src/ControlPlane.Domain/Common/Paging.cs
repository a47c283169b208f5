namespace ControlPlane.Domain.Common;

/// <summary>
/// One page of a server-side list: 0-based page index, size capped at 200. A negative page or size is refused; a page past
/// the end (however large) is empty: the offset is computed in 64 bits and held at <see cref="int.MaxValue"/>, never wrapped.
/// </summary>
public sealed record PageRequest(int Page = 0, int PageSize = 25, string? Search = null, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 200;

    public int Page { get; } = Page >= 0 ? Page : throw ValidationException.For("page", "A page index is 0 or more.");
    public int PageSize { get; } = PageSize >= 0 ? PageSize : throw ValidationException.For("pageSize", $"A page size is 1 to {MaxPageSize}.");

    public int Skip => (int)Math.Min((long)Page * Take, int.MaxValue);
    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);
