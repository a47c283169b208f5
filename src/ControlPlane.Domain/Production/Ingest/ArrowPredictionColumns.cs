using Apache.Arrow;
using static ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// The columns of one Arrow record batch of prediction records, found by name once per batch: the arrays for the
/// columnar path and typed getters for reading one record the record way. An unknown column or a column of a wrong
/// type is a 400 for the whole body.
/// </summary>
internal sealed class ArrowPredictionColumns
{
    private readonly Func<int, string?>? _id, _alias, _variant, _label, _probabilities, _error, _tags;
    private readonly Func<int, DateTime?>? _ts;
    private readonly Func<int, int?>? _version;
    private readonly Func<int, double?>? _score, _value, _latency;
    private readonly List<(int Name, Func<int, FeatureValue> Get)> _features = [];

    public ArrowPredictionColumns(RecordBatch records, FeatureNames names)
    {
        Length = records.Length;
        var fields = records.Schema.FieldsList;
        for (var c = 0; c < fields.Count; c++)
        {
            var name = fields[c].Name;
            var array = records.Column(c);
            switch (name)
            {
                case PredictionId: _id = ArrowColumns.Text(array, name); Ids = (StringArray)array; break;
                case Timestamp: _ts = ArrowColumns.Time(array, name); Timestamps = (TimestampArray)array; break;
                case TelemetryColumns.Version: _version = ArrowColumns.Integer(array, name); break;
                case Alias: _alias = ArrowColumns.Text(array, name); Aliases = (StringArray)array; break;
                case Variant: _variant = ArrowColumns.Text(array, name); Variants = (StringArray)array; break;
                case Label: _label = ArrowColumns.Text(array, name); Labels = (StringArray)array; break;
                case Score: _score = ArrowColumns.Number(array, name); Scores = array; break;
                case Probabilities: _probabilities = ArrowColumns.Text(array, name); ProbabilityMaps = (StringArray)array; break;
                case Value: _value = ArrowColumns.Number(array, name); Values = array; break;
                case LatencyMs: _latency = ArrowColumns.Number(array, name); Latencies = array; break;
                case Error: _error = ArrowColumns.Text(array, name); Errors = (StringArray)array; break;
                case Tags: _tags = ArrowColumns.Text(array, name); TagMaps = (StringArray)array; break;
                case var f when f.StartsWith(FeaturePrefix, StringComparison.Ordinal) && f.Length > FeaturePrefix.Length:
                    var index = names.Intern(f.AsSpan(FeaturePrefix.Length));
                    _features.Add((index, ArrowColumns.Feature(array, name)));
                    if (Features.Any(k => k.Name == index))
                        RepeatsAFeature = true;
                    Features.Add((index, array));
                    break;
                default: throw ArrowColumns.Unknown(name);
            }
        }
    }

    public int Length { get; }
    public StringArray? Ids { get; }
    public TimestampArray? Timestamps { get; }
    public StringArray? Aliases { get; }
    public StringArray? Variants { get; }
    public StringArray? Labels { get; }
    public IArrowArray? Scores { get; }
    public StringArray? ProbabilityMaps { get; }
    public IArrowArray? Values { get; }
    public IArrowArray? Latencies { get; }
    public StringArray? Errors { get; }
    public StringArray? TagMaps { get; }
    /// <summary>The feature columns by name index, in the body's order.</summary>
    public List<(int Name, IArrowArray Array)> Features { get; } = [];
    /// <summary>Two columns name the same feature: every record says so the record way.</summary>
    public bool RepeatsAFeature { get; }

    public int? VersionAt(int row) => _version?.Invoke(row);

    public DateTime? TimestampAt(int row) => _ts?.Invoke(row);

    public string? AliasAt(int row) => _alias?.Invoke(row);

    /// <summary>Fills <paramref name="draft"/> with record <paramref name="row"/> of this batch, as the record way checks it.</summary>
    public void Read(int row, PredictionDraft draft, FeatureNames names)
    {
        draft.PredictionId = _id?.Invoke(row);
        draft.Timestamp = _ts?.Invoke(row);
        draft.Version = _version?.Invoke(row);
        draft.Alias = _alias?.Invoke(row);
        if (_variant?.Invoke(row) is { } v)
        {
            draft.Variant = ParseVariant(v);
            if (draft.Variant is null)
                draft.Fail($"variant '{v}' is not primary, shadow or canary");
        }
        draft.Label = _label?.Invoke(row);
        draft.Score = _score?.Invoke(row);
        draft.Value = _value?.Invoke(row);
        draft.LatencyMs = _latency?.Invoke(row);
        draft.Error = _error?.Invoke(row);
        draft.Probabilities = _probabilities?.Invoke(row);
        if (draft.Probabilities is { } p && !JsonRecords.IsMap(p, numbers: true))
            draft.Fail("probabilities is not a JSON object of finite numbers");
        draft.Tags = _tags?.Invoke(row);
        if (draft.Tags is { } t && !JsonRecords.IsMap(t, numbers: false))
            draft.Fail("tags is not a JSON object of strings");
        foreach (var (name, get) in _features)
            draft.SetFeature(name, get(row), names);
    }

    public static PredictionVariant? ParseVariant(string text) => text switch
    {
        "primary" => PredictionVariant.Primary,
        "shadow" => PredictionVariant.Shadow,
        "canary" => PredictionVariant.Canary,
        _ => null,
    };
}
