using ControlPlane.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace ControlPlane.Web.Components.Layout;

/// <summary>
/// MudThemeProvider whose theme CSS (~40,000 characters) is one shared string per theme and mode instead of a copy
/// held by each circuit's render tree (~80 KB per circuit; docs/benchmarks.md). It writes the base class's three style
/// blocks (a test checks they match MudBlazor's); the copy built on each render is garbage at once.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    private const string ChartStyles = "<style>\n    .mud-chart-serie:hover {\n        filter: url(#lighten);\n    }\n\n    .mud-chart-serie-hovered \n    {\n        filter: url(#lighten);\n    }\n</style>";

    [Inject] private IServiceProvider Provided { get; set; } = default!;

    private bool? _announcedDark;

    public override async Task SetParametersAsync(ParameterView parameters)
    {
        var dark = parameters.TryGetValue<bool>(nameof(IsDarkMode), out var value) ? value : _announcedDark ?? false;
        await base.SetParametersAsync(parameters);
        if (_announcedDark != dark && Provided.GetService<CascadingValueSource<ChartMode>>() is { } charts)
        {
            _announcedDark = dark;
            await charts.NotifyChangedAsync(new ChartMode(dark));
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.AddMarkupContent(0, BuildMudBlazorScrollbar());
        builder.AddMarkupContent(1, ChartStyles);
        builder.AddMarkupContent(2, string.Intern(BuildTheme()));
    }
}
