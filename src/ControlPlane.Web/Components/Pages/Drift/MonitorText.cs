using ControlPlane.Domain.Drift;

namespace ControlPlane.Web.Components.Pages.Drift;

/// <summary>How a monitor's data and schedule read in lists and headers.</summary>
public static class MonitorText
{
    public static string Current(DriftMonitorView m) =>
        m.CurrentDatasetVersion is { } fixedVersion ? $"{fixedVersion.Name} v{fixedVersion.Version}" : $"{m.CurrentDataset} (latest)";

    public static string Schedule(DriftMonitorView m) =>
        m.Schedule is null ? "on demand" : $"{m.Schedule} ({m.TimeZone}){(m.Enabled ? "" : ", disabled")}";
}
