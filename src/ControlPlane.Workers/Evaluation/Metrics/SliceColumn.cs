namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// The slice value of every row an accumulator holds, as a small id per row. Either every batch has slices or none
/// does: a report per slice needs every row's value. A null value is its own slice, <see cref="Missing"/>.
/// </summary>
internal sealed class SliceColumn(int capacity = 0)
{
    public const string Missing = "(missing)";

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];
    private readonly List<int> _rows = [];

    public bool Enabled => _values.Count > 0;

    /// <summary>Checks a batch's slices against the rows already held, changing nothing.</summary>
    public void Check(ReadOnlySpan<string?> slices, int batchRows, long rowsHeld)
    {
        if (slices.IsEmpty)
        {
            if (Enabled && batchRows > 0)
                throw new ArgumentException("Earlier batches had slice values; every batch needs one per row.", nameof(slices));
            return;
        }
        Inputs.SameLength(batchRows, slices.Length, nameof(slices));
        if (!Enabled && rowsHeld > 0)
            throw new ArgumentException("Earlier batches had no slice values; slice every batch or none.", nameof(slices));
    }

    public int IdOf(string? value)
    {
        value ??= Missing;
        if (!_ids.TryGetValue(value, out var id))
        {
            id = _values.Count;
            _ids.Add(value, id);
            _values.Add(value);
        }
        return id;
    }

    /// <summary>Remembers each row's slice, for accumulators that hold their rows.</summary>
    public void Append(ReadOnlySpan<string?> slices)
    {
        if (_rows.Count == 0 && !slices.IsEmpty)
            _rows.EnsureCapacity(capacity);
        foreach (var value in slices)
            _rows.Add(IdOf(value));
    }

    /// <summary>Slice values in ordinal order, each with the ids of its <see cref="Append"/>ed rows in row order.</summary>
    public IEnumerable<(string Value, List<int> Rows)> Groups()
    {
        var rows = new List<int>[_values.Count];
        for (var id = 0; id < rows.Length; id++)
            rows[id] = [];
        for (var row = 0; row < _rows.Count; row++)
            rows[_rows[row]].Add(row);
        return Ordered().Select(id => (_values[id], rows[id]));
    }

    /// <summary>Slice ids in the ordinal order of their values.</summary>
    public IEnumerable<int> Ordered() => Enumerable.Range(0, _values.Count).OrderBy(id => _values[id], StringComparer.Ordinal);

    public string ValueOf(int id) => _values[id];
}
