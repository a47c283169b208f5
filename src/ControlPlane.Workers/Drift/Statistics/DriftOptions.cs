namespace ControlPlane.Workers.Drift.Statistics;

public sealed record DriftOptions
{
    // Before Default: static initializers run in order, and Default's Thresholds read this.
    public static IReadOnlyDictionary<DriftMethod, double> DefaultThresholds { get; } = new Dictionary<DriftMethod, double>
    {
        [DriftMethod.KolmogorovSmirnov] = 0.05,
        [DriftMethod.Wasserstein] = 0.1,
        [DriftMethod.Psi] = 0.1,
        [DriftMethod.JensenShannon] = 0.1,
        [DriftMethod.ChiSquare] = 0.05,
    };

    public static DriftOptions Default { get; } = new();

    /// <summary>The dataset drifts when at least this share of the judged columns drift.</summary>
    public double DriftShareThreshold { get; init; } = 0.5;

    /// <summary>Fewer present values than this on either side gives <see cref="DriftStatus.InsufficientData"/>.</summary>
    public int MinimumValues { get; init; } = 30;

    /// <summary>
    /// Up to this many reference values a column's default method is a test (KS, chi-square), above it a distance
    /// (Wasserstein, Jensen–Shannon), as Evidently chooses. Production windows set it to int.MaxValue: a window of a
    /// few hundred rows against a large reference is judged by tests, whose p-values BH can correct, not by distances
    /// whose sampling noise at that size alone passes their thresholds.
    /// </summary>
    public int TestsUpToReference { get; init; } = DriftMethods.SmallReference;

    /// <summary>Adjust every p-value of the run together (Benjamini–Hochberg) and judge on the adjusted ones.</summary>
    public bool BenjaminiHochberg { get; init; }

    /// <summary>Thresholds by method; methods missing here use <see cref="DefaultThresholds"/>.</summary>
    public IReadOnlyDictionary<DriftMethod, double> Thresholds { get; init; } = DefaultThresholds;

    /// <summary>
    /// Categories kept in a column's stored and charted histogram; the rest fold into one "other" bin. The tests
    /// always use every category.
    /// </summary>
    public int MaxHistogramCategories { get; init; } = 50;

    /// <summary>Methods to compute and report on every column they apply to, besides the deciding one.</summary>
    public IReadOnlyList<DriftMethod> AlsoReport { get; init; } = [];

    /// <summary>Overrides by column name (ordinal).</summary>
    public IReadOnlyDictionary<string, ColumnDriftSettings> Columns { get; init; } = new Dictionary<string, ColumnDriftSettings>();

    public double ThresholdFor(DriftMethod method) =>
        Thresholds.TryGetValue(method, out var threshold) ? threshold : DefaultThresholds[method];
}
