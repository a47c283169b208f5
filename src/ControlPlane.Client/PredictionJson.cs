using System.Buffers;
using System.Text.Json;

namespace ControlPlane.Client;

/// <summary>Writes records as the ingest contract's JSON array by hand: exact field names, no reflection, NaN as null (missing).</summary>
internal static class PredictionJson
{
    /// <summary>
    /// Writes batch after batch into one buffer that grows to the largest batch and stays, so a steady stream of
    /// predictions allocates nothing per record here. Each result is valid until the next <see cref="Write"/>.
    /// </summary>
    public sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
        private Utf8JsonWriter? _json;

        public ReadOnlyMemory<byte> Write(IReadOnlyList<PredictionRecord> records)
        {
            _buffer.ResetWrittenCount();
            if (_json is null)
                _json = new Utf8JsonWriter(_buffer);
            else
                _json.Reset(_buffer);
            _json.WriteStartArray();
            foreach (var r in records)
                PredictionJson.Write(_json, r);
            _json.WriteEndArray();
            _json.Flush();
            return _buffer.WrittenMemory;
        }
    }

    private static void Write(Utf8JsonWriter json, PredictionRecord r)
    {
        json.WriteStartObject();
        json.WriteString("predictionId", r.PredictionId);
        json.WriteString("timestamp", r.Timestamp.UtcDateTime);
        json.WriteNumber("version", r.Version);
        if (r.Alias is { } alias)
            json.WriteString("alias", alias);
        json.WriteString("variant", r.Variant switch
        {
            PredictionVariant.Primary => "primary",
            PredictionVariant.Shadow => "shadow",
            PredictionVariant.Canary => "canary",
            _ => throw new ArgumentOutOfRangeException(nameof(r), r.Variant, "Unknown variant."),
        });
        json.WriteStartObject("features");
        if (r.FeatureNames is { } names && r.FeatureValues is { } values)
        {
            for (var i = 0; i < names.Count; i++)
                Number(json, names[i], values[i]);
        }
        json.WriteEndObject();
        json.WriteStartObject("outputs");
        if (r.Label is { } label)
            json.WriteString("label", label);
        if (r.Score is { } score)
            Number(json, "score", score);
        if (r.Probabilities is { } p)
        {
            json.WriteStartObject("probabilities");
            for (var i = 0; i < p.Length; i++)
                Number(json, r.ClassNames is { } classes && i < classes.Count ? classes[i] : ClassKeys.Of(i), p[i]);
            json.WriteEndObject();
        }
        if (r.Value is { } value)
            Number(json, "value", value);
        json.WriteEndObject();
        if (r.LatencyMs is { } latency)
            json.WriteNumber("latencyMs", latency);
        if (r.Error is { } error)
            json.WriteString("error", error);
        if (r.Tags is { Count: > 0 } tags)
        {
            json.WriteStartObject("tags");
            foreach (var (k, v) in tags)
                json.WriteString(k, v);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    // A float written as a float ("0.1", not "0.10000000149011612").
    private static void Number(Utf8JsonWriter json, string name, float value)
    {
        if (float.IsFinite(value))
            json.WriteNumber(name, value);
        else
            json.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumber(name, value);
        else
            json.WriteNull(name);
    }
}

/// <summary>"0", "1", … without a string per call for the usual few classes.</summary>
internal static class ClassKeys
{
    private static readonly string[] Small = [.. Enumerable.Range(0, 64).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static string Of(int i) => (uint)i < (uint)Small.Length ? Small[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
