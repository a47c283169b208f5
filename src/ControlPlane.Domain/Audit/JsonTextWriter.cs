using System.Buffers;
using System.Globalization;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// A reusable character buffer that writes the JSON subset the audit trail needs. Strings are escaped as
/// Python's <c>json.dumps(ensure_ascii=False)</c> does: <c>"</c> and <c>\</c>, the short escapes
/// <c>\b \f \n \r \t</c>, other control characters as lowercase <c>\u00xx</c>, everything else verbatim.
/// </summary>
internal sealed class JsonTextWriter
{
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\"\\" + new string(Enumerable.Range(0, 0x20).Select(i => (char)i).ToArray()));

    [ThreadStatic] private static JsonTextWriter? _cached;

    private char[] _buffer = new char[1024];
    private int _length;

    /// <summary>An empty writer for the current thread (reused, so not to be held across awaits).</summary>
    public static JsonTextWriter Rent()
    {
        var writer = _cached ??= new JsonTextWriter();
        writer._length = 0;
        return writer;
    }

    public ReadOnlySpan<char> Written => _buffer.AsSpan(0, _length);

    public override string ToString() => new(Written);

    public JsonTextWriter Raw(char c)
    {
        Ensure(1);
        _buffer[_length++] = c;
        return this;
    }

    public JsonTextWriter Raw(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
        return this;
    }

    public JsonTextWriter Number(long value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    public JsonTextWriter Time(DateTime utc)
    {
        Ensure(32);
        Raw('"');
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).TryFormat(_buffer.AsSpan(_length), out var written, AuditChain.TimeFormat, CultureInfo.InvariantCulture);
        _length += written;
        return Raw('"');
    }

    public JsonTextWriter String(string? value)
    {
        if (value is null)
            return Raw("null");
        Raw('"');
        var rest = value.AsSpan();
        while (true)
        {
            var i = rest.IndexOfAny(NeedsEscape);
            if (i < 0)
                break;
            Raw(rest[..i]);
            Escape(rest[i]);
            rest = rest[(i + 1)..];
        }
        return Raw(rest).Raw('"');
    }

    private void Escape(char c)
    {
        switch (c)
        {
            case '"': Raw("\\\""); break;
            case '\\': Raw("\\\\"); break;
            case '\b': Raw("\\b"); break;
            case '\f': Raw("\\f"); break;
            case '\n': Raw("\\n"); break;
            case '\r': Raw("\\r"); break;
            case '\t': Raw("\\t"); break;
            default:
                Raw("\\u00").Raw("0123456789abcdef"[c >> 4]).Raw("0123456789abcdef"[c & 0xF]);
                break;
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
    }
}
