using System.Globalization;
using System.Text.Json;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>Reads actuals: <c>{"predictionId","actual": "label" | number | boolean,"timestamp"}</c>.</summary>
internal sealed class JsonActualSink : IJsonRecordSink
{
    private readonly ActualBatch _batch;
    private readonly ActualDraft _draft = new();
    private readonly Action<string> _fail;

    public JsonActualSink(ActualBatch batch)
    {
        _batch = batch;
        _fail = _draft.Fail;
    }

    public void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int row)
    {
        var d = _draft;
        d.Reset(row);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            d.Fail("the record is not a JSON object");
            reader.Skip();
            _batch.Add(d);
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("predictionId"u8))
            {
                reader.Read();
                d.PredictionId = JsonRecords.Text(ref reader, _fail, "predictionId");
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                d.Timestamp = JsonRecords.Time(ref reader, _fail);
            }
            else if (reader.ValueTextEquals("actual"u8))
            {
                reader.Read();
                Actual(ref reader, d);
            }
            else
            {
                d.Fail($"unknown field '{reader.GetString()}'");
                reader.Read();
                reader.Skip();
            }
        }
        _batch.Add(d);
    }

    private static void Actual(ref Utf8JsonReader reader, ActualDraft d)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                ActualText.Set(d, reader.GetString()!);
                break;
            case JsonTokenType.Number when reader.TryGetDouble(out var value):
                ActualText.Set(d, value);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                d.Actual = reader.TokenType == JsonTokenType.True ? "true" : "false";
                break;
            case JsonTokenType.Null:
                break;
            default:
                d.Fail("actual is not a label, a number or a boolean");
                reader.Skip();
                break;
        }
    }
}

/// <summary>How an actual is stored: the text always; the number too when it is one.</summary>
internal static class ActualText
{
    public static void Set(ActualDraft d, string text)
    {
        if (JsonRecords.IsNamedNonFinite(text))
        {
            d.Fail("actual is NaN or infinite");
            return;
        }
        d.Actual = text;
        d.ActualValue = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    public static void Set(ActualDraft d, double value)
    {
        d.Actual = value.ToString("R", CultureInfo.InvariantCulture);
        d.ActualValue = value;
    }
}
