namespace ControlPlane.Workers.Drift.Statistics;

/// <param name="ReferenceCount">Present (non-missing) reference values.</param>
/// <param name="CurrentCount">Present (non-missing) current values.</param>
/// <param name="Tests">The deciding test first, then any others asked for; empty when data is insufficient.</param>
/// <param name="Histograms">Shared bins with both sides' counts, for overlaid charts; categories beyond
/// <see cref="DriftOptions.MaxHistogramCategories"/> are folded into one "other" bin.</param>
public sealed record ColumnDriftResult(
    string Name,
    DriftColumnKind Kind,
    int ReferenceCount,
    int CurrentCount,
    double ReferenceMissingShare,
    double CurrentMissingShare,
    IReadOnlyList<DriftTestResult> Tests,
    DriftStatus Status,
    bool Drifted,
    IReadOnlyList<DriftHistogram> Histograms)
{
    /// <summary>Reported tests that are blind on this column's counts, and what to read instead.</summary>
    public IReadOnlyList<DriftTestWarning> Warnings { get; init; } = [];
}
