namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// One prediction record as read from the body (JSON or Arrow), reused from record to record. A reader notes the
/// first thing wrong with a field in <see cref="Problem"/> and reads on to the record's end.
/// </summary>
internal sealed class PredictionDraft
{
    private FeatureValue[] _features = new FeatureValue[32];
    private readonly List<int> _present = [];

    public int Row { get; private set; }
    public string? Problem { get; private set; }
    public string? PredictionId { get; set; }
    public DateTime? Timestamp { get; set; }
    public int? Version { get; set; }
    public string? Alias { get; set; }
    public PredictionVariant? Variant { get; set; }
    public string? Label { get; set; }
    public double? Score { get; set; }
    public string? Probabilities { get; set; }
    public double? Value { get; set; }
    public double? LatencyMs { get; set; }
    public string? Error { get; set; }
    public string? Tags { get; set; }

    /// <summary>The name indexes of the features the record named, in its order.</summary>
    public ReadOnlySpan<int> Present => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_present);

    public void Reset(int row)
    {
        foreach (var name in _present)
            _features[name] = default;
        _present.Clear();
        Row = row;
        Problem = null;
        PredictionId = Alias = Label = Probabilities = Error = Tags = null;
        Timestamp = null;
        Version = null;
        Variant = null;
        Score = Value = LatencyMs = null;
    }

    public void Fail(string reason) => Problem ??= reason;

    public FeatureValue Feature(int name) => name < _features.Length ? _features[name] : default;

    public void SetFeature(int name, FeatureValue value, FeatureNames names)
    {
        if (name >= _features.Length)
            Array.Resize(ref _features, Math.Max(name + 1, _features.Length * 2));
        if (_features[name].Kind != ValueKind.Absent)
        {
            Fail($"feature '{names[name]}' appears twice");
            return;
        }
        _features[name] = value;
        _present.Add(name);
    }
}
