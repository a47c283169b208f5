using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// One CSV row read on a parallel worker (<see cref="CsvRows.ParallelRows"/>), waiting for its place in a batch;
/// each column fills the slot of the kind it is read as.
/// </summary>
internal sealed class ParsedRow(double[] numbers, string?[]? texts, List<int>? invalid)
{
    /// <summary>The requested columns, read as <see cref="CsvTabularReader"/> reads them.</summary>
    public static ParsedRow Read(SepReader.Row row, ColumnRequest[] requests)
    {
        var numbers = new double[requests.Length];
        string?[]? texts = null;
        List<int>? invalid = null;
        for (var i = 0; i < requests.Length; i++)
        {
            var col = row[requests[i].Ordinal];
            if (requests[i].As == ColumnReadAs.Text)
            {
                (texts ??= new string?[requests.Length])[i] = CellParsing.ReadText(col);
                continue;
            }
            long bad = 0;
            numbers[i] = CellParsing.ReadNumber(col, ref bad);
            if (bad > 0)
                (invalid ??= []).Add(i);
        }
        return new ParsedRow(numbers, texts, invalid);
    }

    /// <summary>Every column tallied (the scan's work), and kept as the number it reads as while it may be numerical.</summary>
    public static ParsedRow Tally(SepReader.Row row, ColumnTypeTally[] tallies)
    {
        var numbers = new double[tallies.Length];
        List<int>? invalid = null;
        for (var i = 0; i < tallies.Length; i++)
        {
            long bad = 0;
            numbers[i] = tallies[i].Observe(row[i], ref bad);
            if (bad > 0)
                (invalid ??= []).Add(i);
        }
        return new ParsedRow(numbers, null, invalid);
    }

    public void CopyTo(TabularBatch batch, ColumnRequest[] requests, int index)
    {
        for (var i = 0; i < requests.Length; i++)
        {
            if (requests[i].As == ColumnReadAs.Number)
                batch.Numbers(i)[index] = numbers[i];
            else
                batch.Texts(i)[index] = texts![i];
        }
        foreach (var i in invalid ?? [])
            batch.InvalidCounts[i]++;
    }
}
