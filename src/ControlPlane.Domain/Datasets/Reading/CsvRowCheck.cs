using System.Globalization;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// The checks every CSV data row passes, wherever it is read from (the whole file in order, or one block of it):
/// blank lines are skipped, an odd number of quotes is a quoted field never closed, and every row has the header's
/// field count. Messages name the line and column.
/// </summary>
internal sealed class CsvRowCheck(long firstLine, long lineOffset)
{
    /// <summary>Sep holds a whole row in one buffer of at most this many characters; a longer row cannot be read.</summary>
    public const int MaxRowChars = 1 << 24;

    private long _nextLine = firstLine;

    /// <summary>The column names rows are checked against; null while the first row (perhaps a header) is read.</summary>
    public IReadOnlyList<string>? Names { get; set; }

    public bool HasHeader { get; set; }

    /// <summary>1-based line where the row last accepted starts.</summary>
    public long Line { get; private set; }

    /// <summary>Whether the row last accepted holds a quote; only then can a cell hold its delimiter.</summary>
    public bool Quoted { get; private set; }

    /// <summary>Validates a row; false for a blank line, which is skipped.</summary>
    public bool Accept(SepReader.Row row)
    {
        // Sep's LineNumberFrom is off for the first row when it reads no header; the end of the previous row is exact.
        var line = _nextLine;
        _nextLine = row.LineNumberToExcl + lineOffset;

        // Before any column is touched: unescaping rewrites the row in place.
        var span = row.Span;
        if (span.Length == 0)
            return false;
        Line = line;
        Quoted = span.Contains('"');
        if (Quoted && span.Count('"') % 2 == 1)
            throw Unterminated(row.ColCount - 1);
        if (Names is not null && row.ColCount != Names.Count)
            throw Ragged(row.ColCount);
        return true;
    }

    /// <summary>The row after the last one accepted did not fit in Sep's buffer.</summary>
    public DataFormatException RowTooLong() => RowTooLong(_nextLine);

    public static DataFormatException RowTooLong(long line) =>
        new($"Line {line}: the row is longer than {MaxRowChars >> 20} MiB, the most a CSV row may hold.", line);

    public static DataFormatException TooManyRows(long line, long maxRows) =>
        new($"Line {line}: the file has more than {maxRows} rows, the limit.", line);

    // Sep pairs quotes to the end of its input rather than failing, so an unclosed quote surfaces as one last row
    // holding an odd number of quotes, the open one in its last field.
    private DataFormatException Unterminated(int column) =>
        new($"Line {Line}: a quoted field in {Describe(column)} is never closed (a \" without its closing \").", Line, Name(column));

    private DataFormatException Ragged(int count)
    {
        var expected = Names!.Count;
        var reference = HasHeader ? "the header" : "the first row";
        return count > expected
            ? new($"Line {Line} has {count} fields, but {reference} has {expected}: the extra fields start at column {expected + 1}.", Line, Name(expected))
            : new($"Line {Line} has {count} fields, but {reference} has {expected}: {Describe(count)} is missing.", Line, Name(count));
    }

    private string Describe(int column) =>
        Names is not null && column < Names.Count ? $"column '{Names[column]}'" : $"column {column + 1}";

    private string Name(int column) =>
        Names is not null && column < Names.Count ? Names[column] : (column + 1).ToString(CultureInfo.InvariantCulture);
}
