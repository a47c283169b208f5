namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>Per-column overrides.</summary>
/// <param name="Method">The deciding method; null picks the default for the column.</param>
/// <param name="Threshold">The deciding method's threshold; null uses <see cref="DriftOptions.Thresholds"/>.</param>
/// <param name="AlsoReport">Further methods to compute and report for this column, without a say in its verdict.</param>
public sealed record ColumnDriftSettings(
    DriftMethod? Method = null,
    double? Threshold = null,
    IReadOnlyList<DriftMethod>? AlsoReport = null);
