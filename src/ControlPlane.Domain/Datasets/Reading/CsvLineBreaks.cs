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
    /// The index just past the last '\n' of <paramref name="data"/> that lies outside quotes (data starting outside
    /// quotes, every '"' toggling as Sep reads them), or -1 when there is none.
    /// </summary>
    public static int LastRowEnd(ReadOnlySpan<byte> data)
    {
        var quotes = data.Count((byte)'"');
        var end = data.Length;
        while (true)
        {
            var newline = data[..end].LastIndexOf((byte)'\n');
            if (newline < 0)
                return -1;
            quotes -= data[(newline + 1)..end].Count((byte)'"');
            if (quotes % 2 == 0)
                return newline + 1;
            end = newline;
        }
    }
}
