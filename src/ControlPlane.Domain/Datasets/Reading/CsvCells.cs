using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

internal static class CsvCells
{
    /// <summary>
    /// Row <paramref name="index"/> of <paramref name="batch"/> from a CSV row: numbers parsed straight from Sep's
    /// spans (never through strings), cells that are not a finite number counted in the batch's invalid counts.
    /// <paramref name="commas"/> says whether a cell may hold a comma (only a quoted one, or with another delimiter).
    /// </summary>
    public static void Fill(TabularBatch batch, ColumnRequest[] requests, SepReader.Row row, int index, bool commas)
    {
        var invalid = batch.InvalidCounts;
        for (var i = 0; i < requests.Length; i++)
        {
            var col = row[requests[i].Ordinal];
            if (requests[i].As == ColumnReadAs.Number)
                batch.Numbers(i)[index] = CellParsing.TryParseFinite(col, commas, out var value)
                    ? value
                    : CellParsing.NotAFiniteNumber(col.Span, ref invalid[i]);
            else
                batch.Texts(i)[index] = MissingTokens.IsMissing(col.Span) ? null : col.ToString();
        }
    }
}
