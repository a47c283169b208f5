namespace ControlPlane.Domain.Production;

/// <summary>What a telemetry segment holds: prediction records, or the actuals (ground truth) that arrive later.</summary>
public enum TelemetryKind
{
    Predictions,
    Actuals,
}
