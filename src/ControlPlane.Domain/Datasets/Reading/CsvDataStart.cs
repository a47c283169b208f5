using System.Text;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Where the data rows of a CSV file begin, for reading it in blocks.</summary>
internal static class CsvDataStart
{
    private const int HeadBytes = 1 << 20;

    /// <summary>
    /// The byte offset after the BOM, the leading blank lines and the header (when the file has one), with that byte's
    /// 1-based line. Null when the file is better read in order: it breaks lines with a lone '\r' (blocks are cut at
    /// '\n') or its header does not end within the first mebibyte.
    /// </summary>
    public static (long Offset, long Line)? Find(string path, bool hasHeader)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var head = new byte[(int)Math.Min(file.Length, HeadBytes)];
        file.ReadExactly(head);
        ReadOnlySpan<byte> span = head;
        if (CsvLineBreaks.HasLoneCarriageReturn(span.Length == HeadBytes ? span[..^1] : span))
            return null;

        var position = span.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        long line = 1;
        for (; position < span.Length && span[position] is (byte)'\r' or (byte)'\n'; position++)
            if (span[position] == '\n')
                line++;
        if (!hasHeader)
            return (position, line);

        var quoted = false;
        for (; position < span.Length; position++)
        {
            if (span[position] == '"')
                quoted = !quoted;
            else if (span[position] == '\n')
            {
                line++;
                if (!quoted)
                    return (position + 1, line);
            }
        }
        return null;
    }
}
