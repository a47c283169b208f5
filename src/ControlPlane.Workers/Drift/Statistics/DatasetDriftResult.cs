namespace ControlPlane.Workers.Drift.Statistics;

/// <param name="DriftShare">Drifted columns over the columns that got a verdict (InsufficientData ones are left out); 0 when none did.</param>
public sealed record DatasetDriftResult(bool DatasetDrift, double DriftShare, IReadOnlyList<ColumnDriftResult> Columns);
