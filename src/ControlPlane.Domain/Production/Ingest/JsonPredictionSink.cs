using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Reads prediction records:
/// <c>{"predictionId","timestamp","version","alias","variant","features":{…},"outputs":{"label","score","probabilities","value"},"latencyMs","error","tags":{…}}</c>.
/// </summary>
internal sealed class JsonPredictionSink : IJsonRecordSink
{
    private readonly PredictionBatch _batch;
    private readonly JsonFastPredictions? _fast;
    private readonly PredictionDraft _draft = new();
    private readonly Action<string> _fail;
    // The name index met at each position of the previous record's features: records of one batch usually list their
    // features in the same order, so most names are matched by comparing bytes instead of by a lookup.
    private int[] _guesses = new int[32];

    /// <param name="quickWay">Whether plainly good records take <see cref="JsonFastPredictions"/>; off, every record is read the record way (the tests' reference).</param>
    public JsonPredictionSink(PredictionBatch batch, bool quickWay = true)
    {
        _batch = batch;
        _fast = quickWay ? new JsonFastPredictions(batch) : null;
        _fail = _draft.Fail;
        Array.Fill(_guesses, -1);
    }

    public void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int row)
    {
        // A copy of the reader is a checkpoint: when the quick way gives up, the record is read again from its start.
        var start = reader;
        if (_fast?.TryRead(ref reader) == true)
            return;
        reader = start;
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
            if (reader.ValueTextEquals("features"u8))
            {
                reader.Read();
                Features(ref reader);
            }
            else if (reader.ValueTextEquals("predictionId"u8))
            {
                reader.Read();
                d.PredictionId = JsonRecords.Text(ref reader, _fail, "predictionId");
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                d.Timestamp = JsonRecords.Time(ref reader, _fail);
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                reader.Read();
                Version(ref reader);
            }
            else if (reader.ValueTextEquals("alias"u8))
            {
                reader.Read();
                d.Alias = JsonRecords.Text(ref reader, _fail, "alias");
            }
            else if (reader.ValueTextEquals("variant"u8))
            {
                reader.Read();
                Variant(ref reader);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                Outputs(ref reader, body);
            }
            else if (reader.ValueTextEquals("latencyMs"u8))
            {
                reader.Read();
                d.LatencyMs = JsonRecords.Number(ref reader, _fail, "latencyMs");
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                d.Error = JsonRecords.Text(ref reader, _fail, "error");
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                reader.Read();
                d.Tags = JsonRecords.RawMap(ref reader, body, _fail, "tags", numbers: false);
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

    private void Version(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out var number):
                _draft.Version = number;
                break;
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    _draft.Version = parsed;
                else
                    _draft.Alias = text;
                break;
            case JsonTokenType.Null:
                break;
            default:
                _draft.Fail("version is not a version number or an alias");
                reader.Skip();
                break;
        }
    }

    private void Variant(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return;
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        _draft.Variant = text switch
        {
            "primary" => PredictionVariant.Primary,
            "shadow" => PredictionVariant.Shadow,
            "canary" => PredictionVariant.Canary,
            _ => null,
        };
        if (_draft.Variant is null)
        {
            _draft.Fail($"variant {(text is null ? "is not a string" : $"'{text}'")} is not primary, shadow or canary");
            reader.Skip();
        }
    }

    private void Outputs(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            _draft.Fail("outputs is not an object");
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("score"u8))
            {
                reader.Read();
                _draft.Score = JsonRecords.Number(ref reader, _fail, "outputs.score");
            }
            else if (reader.ValueTextEquals("label"u8))
            {
                reader.Read();
                _draft.Label = reader.TokenType switch
                {
                    JsonTokenType.Number => Encoding(ref reader),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    _ => JsonRecords.Text(ref reader, _fail, "outputs.label"),
                };
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                _draft.Value = JsonRecords.Number(ref reader, _fail, "outputs.value");
            }
            else if (reader.ValueTextEquals("probabilities"u8))
            {
                reader.Read();
                _draft.Probabilities = JsonRecords.RawMap(ref reader, body, _fail, "outputs.probabilities", numbers: true);
            }
            else
            {
                _draft.Fail($"unknown field 'outputs.{reader.GetString()}'");
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string Encoding(ref Utf8JsonReader reader) => System.Text.Encoding.UTF8.GetString(reader.ValueSpan);

    private void Features(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            _draft.Fail("features is not an object");
            reader.Skip();
            return;
        }
        var names = _batch.Names;
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (position == _guesses.Length)
            {
                Array.Resize(ref _guesses, position * 2);
                Array.Fill(_guesses, -1, position, position);
            }
            var guess = _guesses[position];
            var name = guess >= 0 && reader.ValueTextEquals(names.Utf8(guess)) ? guess : Intern(ref reader, names);
            _guesses[position++] = name;
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    _draft.SetFeature(name, reader.TryGetDouble(out var number) ? FeatureValue.Of(number) : FeatureValue.Of(double.NaN), names);
                    break;
                case JsonTokenType.String:
                    _draft.SetFeature(name, FeatureValue.Of(reader.GetString()), names);
                    break;
                case JsonTokenType.True:
                    _draft.SetFeature(name, FeatureValue.Of(true), names);
                    break;
                case JsonTokenType.False:
                    _draft.SetFeature(name, FeatureValue.Of(false), names);
                    break;
                case JsonTokenType.Null:
                    _draft.SetFeature(name, FeatureValue.Null, names);
                    break;
                default:
                    _draft.Fail($"feature '{names[name]}' is not a single value");
                    reader.Skip();
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static int Intern(ref Utf8JsonReader reader, FeatureNames names)
    {
        if (reader.HasValueSequence || reader.ValueSpan.Length > 256)
            return names.Intern(reader.GetString());
        Span<char> buffer = stackalloc char[256];
        var length = reader.CopyString(buffer);
        return names.Intern(buffer[..length]);
    }
}
