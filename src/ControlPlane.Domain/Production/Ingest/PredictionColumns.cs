namespace ControlPlane.Domain.Production.Ingest;

/// <summary>The accepted prediction records of one hour, column by column, as they will be written to Parquet.</summary>
internal sealed class PredictionColumns(DateTime hourUtc)
{
    public DateTime HourUtc { get; } = hourUtc;
    public List<string> Ids { get; } = [];
    public List<DateTime> Timestamps { get; } = [];
    public List<int> Versions { get; } = [];
    public List<string?> Aliases { get; } = [];
    public List<string> Variants { get; } = [];
    public List<string?> Labels { get; } = [];
    public DoubleColumn Scores { get; } = new();
    public List<string?> Probabilities { get; } = [];
    public DoubleColumn Values { get; } = new();
    public DoubleColumn Latencies { get; } = new();
    public List<string?> Errors { get; } = [];
    public List<string?> Tags { get; } = [];
    /// <summary>By feature name index, in the order the batch first met them.</summary>
    public List<(int Name, FeatureColumn Column)> Features { get; } = [];
    private readonly Dictionary<int, FeatureColumn> _byName = [];

    public int Count => Ids.Count;

    private (int Name, FeatureColumn Column)[] _aligned = [];

    /// <summary>
    /// The columns of the batch's stored features, in the batch's order (<paramref name="stored"/>), each met here
    /// once through <see cref="Feature"/>: the per-record loop then indexes an array instead of looking up names.
    /// </summary>
    public (int Name, FeatureColumn Column)[] Aligned(List<int> stored, Dictionary<int, bool> numeric)
    {
        if (_aligned.Length < stored.Count)
        {
            var grown = new (int, FeatureColumn)[stored.Count];
            _aligned.CopyTo(grown, 0);
            for (var k = _aligned.Length; k < stored.Count; k++)
                grown[k] = (stored[k], Feature(stored[k], numeric[stored[k]]));
            _aligned = grown;
        }
        return _aligned;
    }

    /// <summary>The column of a feature; one first met after earlier rows starts with nulls for them.</summary>
    public FeatureColumn Feature(int name, bool numeric)
    {
        if (!_byName.TryGetValue(name, out var column))
        {
            column = new FeatureColumn(numeric);
            column.PadTo(Count);
            _byName[name] = column;
            Features.Add((name, column));
        }
        return column;
    }
}

/// <summary>A feature's values: DOUBLE for numerical features, text for the others; null is a missing value.</summary>
internal sealed class FeatureColumn(bool numeric)
{
    public bool Numeric { get; } = numeric;
    public DoubleColumn Numbers { get; } = new();
    public List<string?> Texts { get; } = [];

    public void PadTo(int count)
    {
        if (Numeric)
            Numbers.AddNulls(count - Numbers.Count);
        else
            while (Texts.Count < count)
                Texts.Add(null);
    }
}
