using ControlPlane.Domain.Common;
using static ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Prediction records from an Arrow IPC stream whose columns are named as in <see cref="TelemetryColumns"/> (features
/// <c>f_{name}</c>; <c>version</c> or <c>alias</c> per row). A null in a feature column is a missing value; on a row
/// whose version lacks that feature it is ignored (a columnar body carries every column on every row).
/// </summary>
internal static class ArrowPredictions
{
    public static void Read(ReadOnlyMemory<byte> body, PredictionBatch batch)
    {
        var draft = new PredictionDraft();
        var row = 0;
        foreach (var records in ArrowBodies.Batches(body))
        {
            Func<int, string?>? id = null, alias = null, variant = null, label = null, probabilities = null, error = null, tags = null;
            Func<int, DateTime?>? ts = null;
            Func<int, int?>? version = null;
            Func<int, double?>? score = null, value = null, latency = null;
            var features = new List<(int Name, Func<int, FeatureValue> Get)>();
            var fields = records.Schema.FieldsList;
            for (var c = 0; c < fields.Count; c++)
            {
                var name = fields[c].Name;
                var array = records.Column(c);
                switch (name)
                {
                    case PredictionId: id = ArrowColumns.Text(array, name); break;
                    case Timestamp: ts = ArrowColumns.Time(array, name); break;
                    case TelemetryColumns.Version: version = ArrowColumns.Integer(array, name); break;
                    case Alias: alias = ArrowColumns.Text(array, name); break;
                    case Variant: variant = ArrowColumns.Text(array, name); break;
                    case Label: label = ArrowColumns.Text(array, name); break;
                    case Score: score = ArrowColumns.Number(array, name); break;
                    case Probabilities: probabilities = ArrowColumns.Text(array, name); break;
                    case Value: value = ArrowColumns.Number(array, name); break;
                    case LatencyMs: latency = ArrowColumns.Number(array, name); break;
                    case Error: error = ArrowColumns.Text(array, name); break;
                    case Tags: tags = ArrowColumns.Text(array, name); break;
                    case var f when f.StartsWith(FeaturePrefix, StringComparison.Ordinal) && f.Length > FeaturePrefix.Length:
                        features.Add((batch.Names.Intern(f.AsSpan(FeaturePrefix.Length)), ArrowColumns.Feature(array, name)));
                        break;
                    default: throw ArrowColumns.Unknown(name);
                }
            }
            for (var i = 0; i < records.Length; i++)
            {
                draft.Reset(++row);
                draft.PredictionId = id?.Invoke(i);
                draft.Timestamp = ts?.Invoke(i);
                draft.Version = version?.Invoke(i);
                draft.Alias = alias?.Invoke(i);
                if (variant?.Invoke(i) is { } v)
                {
                    draft.Variant = v switch { "primary" => PredictionVariant.Primary, "shadow" => PredictionVariant.Shadow, "canary" => PredictionVariant.Canary, _ => null };
                    if (draft.Variant is null)
                        draft.Fail($"variant '{v}' is not primary, shadow or canary");
                }
                draft.Label = label?.Invoke(i);
                draft.Score = score?.Invoke(i);
                draft.Value = value?.Invoke(i);
                draft.LatencyMs = latency?.Invoke(i);
                draft.Error = error?.Invoke(i);
                draft.Probabilities = probabilities?.Invoke(i);
                if (draft.Probabilities is { } p && !JsonRecords.IsMap(p, numbers: true))
                    draft.Fail("probabilities is not a JSON object of finite numbers");
                draft.Tags = tags?.Invoke(i);
                if (draft.Tags is { } t && !JsonRecords.IsMap(t, numbers: false))
                    draft.Fail("tags is not a JSON object of strings");
                foreach (var (name, get) in features)
                    draft.SetFeature(name, get(i), batch.Names);
                batch.Add(draft);
            }
        }
    }
}
