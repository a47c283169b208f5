namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// One column of one side: raw values (NaN or null = missing), which the engine sorts or counts in parallel with the
/// other columns, or a sample prepared earlier (a monitor's cached reference).
/// </summary>
public sealed class DriftColumnInput
{
    private readonly double[]? _values;
    private readonly IReadOnlyList<string?>? _categories;
    private readonly SortedSample? _sorted;
    private readonly CategorySample? _counted;

    private DriftColumnInput(string name, DriftColumnKind kind, double[]? values, IReadOnlyList<string?>? categories,
        SortedSample? sorted, CategorySample? counted)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Kind = kind;
        _values = values;
        _categories = categories;
        _sorted = sorted;
        _counted = counted;
    }

    public string Name { get; }
    public DriftColumnKind Kind { get; }

    /// <param name="values">Taken over by the engine, which sorts it in place (no copy is held); NaN and ±∞ are missing.</param>
    public static DriftColumnInput Numerical(string name, double[] values) =>
        new(name, DriftColumnKind.Numerical, values ?? throw new ArgumentNullException(nameof(values)), null, null, null);

    public static DriftColumnInput Numerical(string name, SortedSample sample) =>
        new(name, DriftColumnKind.Numerical, null, null, sample ?? throw new ArgumentNullException(nameof(sample)), null);

    /// <param name="values">null is missing.</param>
    public static DriftColumnInput Categorical(string name, IReadOnlyList<string?> values) =>
        new(name, DriftColumnKind.Categorical, null, values ?? throw new ArgumentNullException(nameof(values)), null, null);

    public static DriftColumnInput Categorical(string name, CategorySample sample) =>
        new(name, DriftColumnKind.Categorical, null, null, null, sample ?? throw new ArgumentNullException(nameof(sample)));

    // Sorting in place means sorting once: the sample is kept for any later comparison of this input.
    private SortedSample? _sortedHere;
    private bool _shared;

    internal double[]? RawValues => _values;

    /// <summary>The array is also another input's: sort a copy, leave the array as it is.</summary>
    internal void MarkShared() => _shared = true;

    internal SortedSample ToSorted() => _sorted ?? (_sortedHere ??= _shared ? SortedSample.From(_values) : SortedSample.FromOwned(_values!));

    internal CategorySample ToCounted() => _counted ?? CategorySample.From(_categories!);
}
