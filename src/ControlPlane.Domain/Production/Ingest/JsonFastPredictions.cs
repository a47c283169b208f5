using System.Text.Json;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// The quick way for a JSON prediction record that is plainly good: numbers are read straight into per-feature slots
/// and appended to the hour's columns, with no <see cref="PredictionDraft"/>, no <see cref="FeatureValue"/> and no
/// second pass of checks. Anything unusual (an alias, a null, a string where a number is expected, NaN, an unknown
/// field or feature, a missing one, a repeated id, probabilities, tags, …) gives up with nothing counted or stored,
/// and the caller reads the record again the record way, which gives the reason. So this path never refuses anything.
/// </summary>
internal sealed class JsonFastPredictions(PredictionBatch batch)
{
    private readonly FeatureNames _names = batch.Names;
    private double[] _numbers = new double[32];
    private string?[] _texts = new string?[32];
    private bool[] _seen = new bool[32];
    private readonly List<int> _present = [];
    private int[] _guesses = new int[32];

    private string? _id, _label, _error;
    private DateTime _ts;
    private int _version;
    private PredictionVariant _variant;
    private double? _score, _value, _latency;

    /// <summary>Reads, checks and stores one record from its first token; false (the reader then anywhere in it) when the record way must judge it.</summary>
    public bool TryRead(ref Utf8JsonReader reader)
    {
        Reset();
        if (reader.TokenType != JsonTokenType.StartObject)
            return false;
        bool hasTs = false, hasVersion = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("features"u8))
            {
                reader.Read();
                if (!Features(ref reader))
                    return false;
            }
            else if (reader.ValueTextEquals("predictionId"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    return false;
                _id = reader.GetString();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetDateTime(out var ts))
                    return false;
                _ts = JsonRecords.Utc(ts);
                hasTs = true;
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out _version))
                    return false;
                hasVersion = true;
            }
            else if (reader.ValueTextEquals("variant"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    return false;
                if (reader.ValueTextEquals("primary"u8))
                    _variant = PredictionVariant.Primary;
                else if (reader.ValueTextEquals("shadow"u8))
                    _variant = PredictionVariant.Shadow;
                else if (reader.ValueTextEquals("canary"u8))
                    _variant = PredictionVariant.Canary;
                else
                    return false;
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                if (!Outputs(ref reader))
                    return false;
            }
            else if (reader.ValueTextEquals("latencyMs"u8))
            {
                reader.Read();
                if (!Number(ref reader, out _latency) || _latency < 0)
                    return false;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                    _error = reader.GetString();
                else if (reader.TokenType != JsonTokenType.Null)
                    return false;
            }
            else
                return false; // alias, tags or a field the record way refuses
        }
        if (string.IsNullOrEmpty(_id) || !hasTs || !hasVersion || _ts > batch.LatestAccepted || _version < 0)
            return false;
        return Store();
    }

    private void Reset()
    {
        foreach (var name in _present)
            _seen[name] = false;
        _present.Clear();
        _id = _label = _error = null;
        _variant = PredictionVariant.Primary;
        _score = _value = _latency = null;
    }

    private bool Features(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            return false;
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (position == _guesses.Length)
                System.Array.Resize(ref _guesses, position * 2);
            var guess = _guesses[position] - 1; // 0 is "no guess yet"
            var name = guess >= 0 && reader.ValueTextEquals(_names.Utf8(guess)) ? guess : JsonPredictionSink.Intern(ref reader, _names);
            _guesses[position++] = name + 1;
            if (name >= _seen.Length)
            {
                var size = Math.Max(name + 1, _seen.Length * 2);
                System.Array.Resize(ref _seen, size);
                System.Array.Resize(ref _numbers, size);
                System.Array.Resize(ref _texts, size);
            }
            if (_seen[name])
                return false;
            _seen[name] = true;
            _present.Add(name);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Number when reader.TryGetDouble(out var number) && double.IsFinite(number):
                    _numbers[name] = number;
                    _texts[name] = null;
                    break;
                case JsonTokenType.String:
                    _texts[name] = reader.GetString();
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private bool Outputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return true;
        if (reader.TokenType != JsonTokenType.StartObject)
            return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("score"u8))
            {
                reader.Read();
                if (!Number(ref reader, out _score))
                    return false;
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                if (!Number(ref reader, out _value))
                    return false;
            }
            else if (reader.ValueTextEquals("label"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                    _label = reader.GetString();
                else if (reader.TokenType != JsonTokenType.Null)
                    return false;
            }
            else
                return false;
        }
        return true;
    }

    private static bool Number(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
            return true;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number) || !double.IsFinite(number))
            return false;
        value = number;
        return true;
    }

    /// <summary>The version's features must be exactly the record's, each of its kind; then the id must be new to the batch.</summary>
    private bool Store()
    {
        if (batch.Accepting(_version) is not { } bound || _present.Count != bound.Specs.Count)
            return false;
        for (var i = 0; i < bound.Specs.Count; i++)
        {
            var name = bound.NameOf[i];
            if (name >= _seen.Length || !_seen[name] || bound.Specs[i].IsNumeric != (_texts[name] is null))
                return false;
        }
        if (!batch.Admit(_id!, _variant))
            return false;
        var (columns, stored) = batch.Hour(TelemetryPaths.HourOf(_ts));
        foreach (var (name, column) in stored)
        {
            var declared = bound.Declares(name);
            if (column.Numeric)
                column.Numbers.Add(declared ? _numbers[name] : null);
            else
                column.Texts.Add(declared ? _texts[name] : null);
        }
        columns.Ids.Add(_id!);
        columns.Timestamps.Add(_ts);
        columns.Versions.Add(_version);
        columns.Aliases.Add(null);
        columns.Variants.Add(PredictionBatch.VariantName(_variant));
        columns.Labels.Add(_label);
        columns.Scores.Add(_score);
        columns.Probabilities.Add(null);
        columns.Values.Add(_value);
        columns.Latencies.Add(_latency);
        columns.Errors.Add(_error);
        columns.Tags.Add(null);
        return true;
    }
}
