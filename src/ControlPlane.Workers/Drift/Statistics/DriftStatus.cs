namespace ControlPlane.Workers.Drift.Statistics;

public enum DriftStatus
{
    Ok,
    Drifted,

    /// <summary>Too few present values on one side for a verdict (see <see cref="DriftOptions.MinimumValues"/>).</summary>
    InsufficientData,
}
