using MudBlazor;

namespace ControlPlane.Web.Components.Layout;

internal static class ControlPlaneTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f5fa8", Secondary = "#6a3fb5", AppbarBackground = "#12355f" },
        PaletteDark = new PaletteDark { Primary = "#6ea8ff", Secondary = "#b79cff" },
    };
}
