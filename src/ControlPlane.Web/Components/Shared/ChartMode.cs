using ControlPlane.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace ControlPlane.Web.Components.Shared;

/// <summary>
/// Light or dark, cascaded from <see cref="SharedThemeProvider"/> so every chart follows the app's mode: a transparent
/// paper (the card behind it shows), text and grid lines in the theme's colours. Null (no provider, as in component
/// tests) reads as light.
/// </summary>
public sealed record ChartMode(bool Dark)
{
    public static ChartMode Light { get; } = new(false);

    private const string Transparent = "rgba(0,0,0,0)";

    private MudBlazor.Palette Palette => Dark ? ControlPlaneTheme.Theme.PaletteDark : ControlPlaneTheme.Theme.PaletteLight;

    public string TextColor => Palette.TextPrimary.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA);

    public string GridColor => Palette.LinesDefault.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA);

    /// <summary>The chrome every chart shares; callers add axes and the like.</summary>
    public Plotly.Blazor.Layout Layout(int height, int left = 10, int right = 10, int top = 10, int bottom = 10) => new()
    {
        Height = height,
        PaperBgColor = Transparent,
        PlotBgColor = Transparent,
        Font = new Font { Color = TextColor },
        Margin = new Margin { L = left, R = right, T = top, B = bottom },
    };

    public XAxis X(string? title) => new() { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = title }, AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True, GridColor = GridColor, ZeroLineColor = GridColor };

    public YAxis Y(string? title) => new() { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = title }, AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True, GridColor = GridColor, ZeroLineColor = GridColor };

    /// <summary>Cascades the mode to every chart of a circuit; <see cref="SharedThemeProvider"/> announces changes.</summary>
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddScoped(_ => new CascadingValueSource<ChartMode>(Light, isFixed: false));
        return services.AddCascadingValue(sp => sp.GetRequiredService<CascadingValueSource<ChartMode>>());
    }

    /// <summary>Plotly's options for every chart here: resizes with its card, no mode bar.</summary>
    public static Config Config { get; } = new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };
}
