using System.Buffers;
using System.Collections.Frozen;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Cell texts that mean "no value" (as pandas reads them, minus the rarer spellings); matched exactly, case-sensitive.
/// In Parquet only real nulls are missing; the tokens apply to text being read as a number.
/// </summary>
public static class MissingTokens
{
    public static IReadOnlyList<string> All { get; } = ["", "NA", "N/A", "n/a", "NULL", "null", "None", "NaN", "nan", "<NA>"];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Tokens =
        All.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // Numbers are the common case; these two checks turn almost all of them away before any hashing.
    private static readonly int LongestToken = All.Max(t => t.Length);
    private static readonly SearchValues<char> FirstChars = SearchValues.Create([.. All.Where(t => t.Length > 0).Select(t => t[0])]);

    public static bool IsMissing(ReadOnlySpan<char> cell) =>
        cell.Length == 0 || (cell.Length <= LongestToken && FirstChars.Contains(cell[0]) && Tokens.Contains(cell));
}
