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

    /// <param name="values">Not copied until the engine runs; NaN and ±∞ are missing.</param>
    public static DriftColumnInput Numerical(string name, double[] values) =>
        new(name, DriftColumnKind.Numerical, values ?? throw new ArgumentNullException(nameof(values)), null, null, null);

    public static DriftColumnInput Numerical(string name, SortedSample sample) =>
        new(name, DriftColumnKind.Numerical, null, null, sample ?? throw new ArgumentNullException(nameof(sample)), null);

    /// <param name="values">null is missing.</param>
    public static DriftColumnInput Categorical(string name, IReadOnlyList<string?> values) =>
        new(name, DriftColumnKind.Categorical, null, values ?? throw new ArgumentNullException(nameof(values)), null, null);

    public static DriftColumnInput Categorical(string name, CategorySample sample) =>
        new(name, DriftColumnKind.Categorical, null, null, null, sample ?? throw new ArgumentNullException(nameof(sample)));

    internal SortedSample ToSorted() => _sorted ?? SortedSample.From(_values);

    internal CategorySample ToCounted() => _counted ?? CategorySample.From(_categories!);
}
