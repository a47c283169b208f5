using Bunit;
using ControlPlane.Web.Components.Layout;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The shared theme provider must render exactly what MudBlazor's own does, in both modes.</summary>
public sealed class SharedThemeProviderTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public SharedThemeProviderTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void It_renders_the_same_css_as_MudThemeProvider(bool dark)
    {
        var mud = _ctx.Render<MudThemeProvider>(p => p.Add(x => x.Theme, ControlPlaneTheme.Theme).Add(x => x.IsDarkMode, dark));
        var shared = _ctx.Render<SharedThemeProvider>(p => p.Add(x => x.Theme, ControlPlaneTheme.Theme).Add(x => x.IsDarkMode, dark));

        Assert.Contains("--mud-palette-primary", shared.Markup);
        Assert.Equal(Normalized(mud.Markup), Normalized(shared.Markup));
    }

    // Only the whitespace between the style blocks may differ.
    private static string Normalized(string markup) => System.Text.RegularExpressions.Regex.Replace(markup, @">\s+<style", "><style").Trim();

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
