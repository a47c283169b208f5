using System.Globalization;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

internal static class CsvHeader
{
    /// <summary>
    /// The column names from the first row, or null when that row is data: a row whose every cell is a finite number
    /// is not a header (names are then <see cref="DefaultNames"/>).
    /// </summary>
    public static string[]? Read(SepReader.Row first, long line, ReadLimits limits)
    {
        ColumnNameRules.CheckCount(first.ColCount, limits, line);
        if (IsAllNumbers(first))
            return null;
        var names = new string[first.ColCount];
        for (var i = 0; i < names.Length; i++)
            names[i] = first[i].ToString();
        ColumnNameRules.Check(names, line);
        return names;
    }

    public static string[] DefaultNames(int count) =>
        [.. Enumerable.Range(1, count).Select(i => "column_" + i.ToString(CultureInfo.InvariantCulture))];

    private static bool IsAllNumbers(SepReader.Row row)
    {
        for (var i = 0; i < row.ColCount; i++)
            if (!CellParsing.TryParseNumber(row[i], out var value) || !double.IsFinite(value))
                return false;
        return true;
    }
}
