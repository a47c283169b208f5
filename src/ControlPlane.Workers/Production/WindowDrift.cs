using ControlPlane.Domain.Production;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Production;

/// <summary>
/// A window's drift with the existing engine: each watched feature by the test for its kind (KS, chi-square), the p-values
/// of one comparison (all features against the reference, or all against the previous window) corrected together by
/// Benjamini–Hochberg, and the data-level verdict by the monitor's drift share.
/// </summary>
public static class WindowDrift
{
    public static DriftOptions Options(ProductionMonitorSettings settings) => DriftOptions.Default with
    {
        BenjaminiHochberg = true,
        TestsUpToReference = int.MaxValue,
        DriftShareThreshold = settings.DriftShare,
        Thresholds = new Dictionary<DriftMethod, double>(DriftOptions.DefaultThresholds)
        {
            [DriftMethod.KolmogorovSmirnov] = settings.DriftAlpha,
            [DriftMethod.ChiSquare] = settings.DriftAlpha,
        },
    };

    /// <summary>The deciding test of a column as a stored figure; null when either side had too few values.</summary>
    public static DriftFigure? Figure(ColumnDriftResult column) =>
        column.Status == DriftStatus.InsufficientData || column.Tests.Count == 0 ? null
            : new DriftFigure(column.Tests[0].Method.ToString(), column.Tests[0].Statistic, column.Tests[0].PValue, column.Tests[0].AdjustedPValue,
                column.Drifted, column.ReferenceCount, column.CurrentCount);
}
