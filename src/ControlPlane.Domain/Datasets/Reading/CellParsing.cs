using System.Globalization;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// How one text cell reads as a number, a boolean or a date, shared by the readers and the scanner.
/// As a number: a finite number is itself; anything else is NaN (<see cref="NotAFiniteNumber"/>), counted invalid
/// unless it is a missing token; true/false read as 1/0.
/// </summary>
internal static class CellParsing
{
    /// <summary>
    /// The fast path for a CSV cell; kept apart from <see cref="NotAFiniteNumber"/> because the split made the hot loop
    /// ~1.4x faster. <paramref name="commas"/>: whether the cell may hold a comma (see <see cref="TryParseNumber(SepReader.Col, out double)"/>);
    /// with a comma delimiter only a quoted cell can.
    /// </summary>
    public static bool TryParseFinite(SepReader.Col col, bool commas, out double value) =>
        col.TryParse(out value) && double.IsFinite(value) && !(commas && col.Span.Contains(','));

    /// <summary>A text cell (a Parquet string) as a number.</summary>
    public static double ReadNumber(ReadOnlySpan<char> cell, ref long invalid) =>
        TryParseNumber(cell, out var value) && double.IsFinite(value) ? value : NotAFiniteNumber(cell, ref invalid);

    /// <summary>NaN for a cell that is not a finite number, counted in <paramref name="invalid"/> unless missing; booleans are 1 and 0.</summary>
    public static double NotAFiniteNumber(ReadOnlySpan<char> cell, ref long invalid)
    {
        if (MissingTokens.IsMissing(cell))
            return double.NaN;
        if (TryParseBoolean(cell, out var flag))
            return flag ? 1 : 0;
        invalid++;
        return double.NaN;
    }

    /// <summary>An invariant-culture number, finite or not (Infinity, overflow), through Sep's fast parser.</summary>
    public static bool TryParseNumber(SepReader.Col col, out double value) =>
        // Sep's fast float parser skips commas ("1,5" reads as 15, "1,000" as 1000); the invariant culture never
        // accepts a comma in a number, so neither do we.
        col.TryParse(out value) && !col.Span.Contains(',');

    public static bool TryParseNumber(ReadOnlySpan<char> cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryParseBoolean(ReadOnlySpan<char> cell, out bool value)
    {
        value = cell.Equals("true", StringComparison.OrdinalIgnoreCase);
        return value || cell.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An ISO 8601 date or date-time: yyyy-MM-dd, optionally followed by 'T' or ' ' and a time.</summary>
    public static bool IsIsoDate(ReadOnlySpan<char> cell)
    {
        // DateTime.TryParse alone takes "1" or "3.5" for dates; the yyyy-MM-dd prefix keeps numbers out.
        if (cell.Length < 10 || cell[4] != '-' || cell[7] != '-'
            || !IsDigits(cell[..4]) || !IsDigits(cell[5..7]) || !IsDigits(cell[8..10]))
            return false;
        if (cell.Length > 10 && cell[10] is not ('T' or ' '))
            return false;
        return DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);
    }

    private static bool IsDigits(ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');
}
