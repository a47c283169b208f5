using Bunit;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// What a chart hands Plotly. Charts let go of their traces once Plotly has drawn them, so a test keeps Plotly's
/// newPlot call pending (it never completes here) and reads the traces and layout from the PlotlyChart.
/// </summary>
internal static class PlotlyTraces
{
    public static void Hold(BunitContext ctx)
    {
        var module = ctx.JSInterop.SetupModule(i => i.Arguments.Count > 0 && i.Arguments[0] is string path && path.Contains("plotly", StringComparison.OrdinalIgnoreCase));
        module.SetupVoid(i => i.Identifier.Contains("newPlot", StringComparison.Ordinal));
    }

    /// <summary>The traces and layout a chart component (HeatmapChart, LineChart, …) gave its PlotlyChart.</summary>
    public static (IList<ITrace> Data, Layout Layout) Of<TChart>(IRenderedComponent<TChart> chart) where TChart : class, IComponent
    {
        var plot = chart.FindComponent<PlotlyChart>().Instance;
        Assert.NotEmpty(plot.Data);
        return (plot.Data, plot.Layout);
    }
}
