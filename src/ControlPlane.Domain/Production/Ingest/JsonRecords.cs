using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>Reads one record, the reader on its first token; it must leave the reader on the record's last token.</summary>
internal interface IJsonRecordSink
{
    void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int row);
}

/// <summary>
/// Walks the records of a JSON body (an array, or JSON Lines) with one forward-only <see cref="Utf8JsonReader"/>: no
/// document is built. Anything that is not JSON is a 400 for the whole body; a record that is JSON but wrong is the
/// sink's to judge.
/// </summary>
internal static class JsonRecords
{
    public static void ForEach<TSink>(ReadOnlySpan<byte> body, bool lines, TSink sink) where TSink : IJsonRecordSink
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = lines });
        try
        {
            var row = 0;
            if (lines)
            {
                while (reader.Read())
                    sink.Read(ref reader, body, ++row);
                return;
            }
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new ValidationException("Send a JSON array of records (application/json) or one record per line (application/x-ndjson).");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                sink.Read(ref reader, body, ++row);
            if (reader.Read())
                throw new ValidationException("The body has more after its JSON array.");
        }
        catch (JsonException e)
        {
            throw new ValidationException($"The body is not valid JSON{(lines ? " Lines" : "")}; nothing was stored. {e.Message}");
        }
    }

    public static string? Text(ref Utf8JsonReader reader, Action<string> fail, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            default:
                fail($"{field} is not a string");
                reader.Skip();
                return null;
        }
    }

    public static double? Number(ref Utf8JsonReader reader, Action<string> fail, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out var value):
                return value;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String when IsNamedNonFinite(reader.GetString()!):
                fail($"{field} is NaN or infinite");
                return null;
            default:
                fail($"{field} is not a number");
                reader.Skip();
                return null;
        }
    }

    public static DateTime? Time(ref Utf8JsonReader reader, Action<string> fail)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var time))
            return Utc(time);
        fail("timestamp is not an ISO 8601 time (2026-12-07T10:00:00Z)");
        reader.Skip();
        return null;
    }

    /// <summary>A time without an offset is taken as UTC.</summary>
    public static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    /// <summary>
    /// An object whose values are all numbers (<paramref name="numbers"/>) or all strings, kept as its JSON text;
    /// null when the value is null or wrong (then <paramref name="fail"/> was told).
    /// </summary>
    public static string? RawMap(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, Action<string> fail, string field, bool numbers)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            fail($"{field} is not an object");
            reader.Skip();
            return null;
        }
        var start = (int)reader.TokenStartIndex;
        var ok = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            var fits = numbers
                ? reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d) && double.IsFinite(d)
                : reader.TokenType == JsonTokenType.String;
            if (!fits)
            {
                ok = false;
                reader.Skip();
            }
        }
        if (!ok)
        {
            fail(numbers ? $"{field} holds a value that is not a finite number" : $"{field} holds a value that is not a string");
            return null;
        }
        return Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
    }

    /// <summary>Whether text is a JSON object whose values are all numbers (or all strings): the columnar form's probabilities and tags.</summary>
    public static bool IsMap(string text, bool numbers)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read())
                return false;
            var ok = true;
            RawMap(ref reader, bytes, _ => ok = false, "", numbers);
            return ok && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool IsNamedNonFinite(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsFinite(d)
        || text.Trim() is "NaN" or "nan" or "Infinity" or "-Infinity" or "inf" or "-inf";
}
