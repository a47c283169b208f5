using System.Globalization;

namespace ControlPlane.Domain.Common;

/// <summary>
/// Values from users' data that the product stores or shows (a profile's top values, preview cells) are cut to
/// <see cref="MaxChars"/> characters with an ellipsis: one 15 MiB cell must not make every read of its profile 15 MiB.
/// </summary>
public static class StoredText
{
    public const int MaxChars = 256;
    private const char Ellipsis = '…';

    /// <summary>The value, or its first <see cref="MaxChars"/> characters and an ellipsis (never half a surrogate pair).</summary>
    public static string Cut(string value) => value.Length <= MaxChars ? value : string.Concat(value.AsSpan(0, CutAt(value)), Ellipsis.ToString());

    /// <summary>The value's length when <see cref="Cut"/> shortens it; null when it is kept whole.</summary>
    public static int? FullLength(string value) => value.Length <= MaxChars ? null : value.Length;

    /// <summary>For plain text (preview cells): the cut value followed by its full length.</summary>
    public static string? CutWithLength(string? value) =>
        value is null || value.Length <= MaxChars ? value : string.Create(CultureInfo.InvariantCulture, $"{Cut(value)} ({value.Length:N0} characters)");

    private static int CutAt(string value) => char.IsHighSurrogate(value[MaxChars - 1]) ? MaxChars - 1 : MaxChars;
}
