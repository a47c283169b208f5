using ControlPlane.Domain.Training;

namespace ControlPlane.Web.Components.Pages.Training;

/// <summary>How the training pages name data and schedules.</summary>
internal static class TrainingText
{
    public static string Data(DatasetSelection data) => data.Version is { } v ? $"{data.Name} v{v}" : $"{data.Name} (latest)";

    public static string Schedule(TrainingSpecView spec) =>
        spec.Schedule is null ? "on demand" : $"{spec.Schedule} ({spec.TimeZone}){(spec.Enabled ? "" : ", paused")}";
}
