using ControlPlane.Domain.Registry;

namespace ControlPlane.Web.Components.Pages.Governance;

/// <summary>How promotion targets and links read on every governance page.</summary>
public static class PromotionText
{
    public static string Target(LifecycleStage? stage, string? alias) => alias is { } a ? $"alias '{a}'" : $"{stage ?? LifecycleStage.Production}";

    public static string VersionLink(string model, int version) => $"/models/{Uri.EscapeDataString(model)}/versions/{version}";

    public static string ModelLink(string model) => $"/models/{Uri.EscapeDataString(model)}";
}
