namespace ControlPlane.TestSupport;

/// <summary>
/// Reads the spans' trace ids and names out of an OTLP <c>ExportTraceServiceRequest</c> by walking the protobuf
/// wire format: resource_spans (1) → scope_spans (2) → spans (2) → trace_id (1), name (5).
/// </summary>
public static class OtlpSpans
{
    public static IEnumerable<(string TraceId, string Name)> Read(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
            foreach (var scopeSpans in Fields(resourceSpans, 2))
                foreach (var span in Fields(scopeSpans, 2))
                    yield return (Convert.ToHexStringLower(Fields(span, 1).Single()), System.Text.Encoding.UTF8.GetString(Fields(span, 5).Single()));
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of one message.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = Varint(message, ref i);
            switch (tag & 7)
            {
                case 0: Varint(message, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    if ((int)(tag >> 3) == number)
                        found.Add(message[i..(i + length)]);
                    i += length;
                    break;
                default: throw new FormatException($"Unexpected protobuf wire type {tag & 7}.");
            }
        }
        return found;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }
}
