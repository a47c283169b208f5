using MudBlazor;

namespace ControlPlane.Web.Components.Shared;

/// <summary>The CSS classes of a small MudChip, for chips written as plain elements in read-only cards.</summary>
public static class Chips
{
    public static string Class(Color color, bool outlined = false) =>
        $"mud-chip mud-chip-{(outlined ? "outlined" : "filled")} mud-chip-size-small mud-chip-color-{color.ToString().ToLowerInvariant()}";
}
