namespace ControlPlane.Domain.Production;

/// <summary>
/// The part of a production monitor that decides what its windows hold: what it watches, the window size, the
/// reference and the settings (thresholds, alpha, metric…). A window's inputs stamp includes it, so editing any of these
/// recomputes the stored windows; the name, description, alerts, retraining spec and the on/off switch do not.
/// </summary>
public static class WindowDefinition
{
    public static string Of(ProductionMonitor monitor) =>
        // The settings are re-serialized so that two spellings of the same settings ("{}" and the defaults written out) agree.
        $"{monitor.Target}\n{monitor.TargetValue}\n{monitor.WindowSize}\n{monitor.ReferenceDatasetVersionId}\n{ProductionMonitorSettings.FromJson(monitor.Settings).ToJson()}";
}
