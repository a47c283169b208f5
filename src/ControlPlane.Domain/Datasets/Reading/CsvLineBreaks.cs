namespace ControlPlane.Domain.Datasets.Reading;

internal static class CsvLineBreaks
{
    /// <summary>Line breaks as Sep counts them: "\n", "\r\n" and a lone "\r" are one each.</summary>
    public static long Count(ReadOnlySpan<byte> data)
    {
        var breaks = (long)data.Count((byte)'\n');
        var returns = data.Count((byte)'\r');
        return returns == 0 ? breaks : breaks + returns - data.Count("\r\n"u8);
    }

    public static bool HasLoneCarriageReturn(ReadOnlySpan<byte> data) =>
        data.Count((byte)'\r') != data.Count("\r\n"u8);

    /// <summary>
    /// The index just past the last line break of <paramref name="data"/> that lies outside quotes (data starting
    /// outside quotes, every '"' toggling as Sep reads them), or -1 when there is none. A '\r' is a line break of its
    /// own unless a '\n' follows; one at the very end is left for the next read to tell.
    /// </summary>
    public static int LastRowEnd(ReadOnlySpan<byte> data)
    {
        var quotes = data.Count((byte)'"');
        var end = data.Length;
        while (true)
        {
            var index = data[..end].LastIndexOfAny((byte)'\n', (byte)'\r');
            if (index < 0)
                return -1;
            quotes -= data[(index + 1)..end].Count((byte)'"');
            end = index;
            var lineBreak = data[index] == '\n' || (index + 1 < data.Length && data[index + 1] != '\n');
            if (lineBreak && quotes % 2 == 0)
                return index + 1;
        }
    }

    /// <summary>
    /// Where to cut <paramref name="data"/> at most at <paramref name="at"/> without splitting a UTF-8 character: at it,
    /// or at the start of the character it would cut.
    /// </summary>
    public static int CharacterBoundary(ReadOnlySpan<byte> data, int at)
    {
        var start = at - 1;
        while (start > 0 && (data[start] & 0xC0) == 0x80)
            start--;
        if (start < 0)
            return at;
        var length = data[start] switch
        {
            < 0x80 => 1,
            >= 0xF0 => 4,
            >= 0xE0 => 3,
            >= 0xC0 => 2,
            _ => 1,
        };
        return start + length > at ? start : at;
    }
}
