using Bunit;
using ControlPlane.Web.Components.Pages.Evaluations;
using ControlPlane.Web.Components.Shared;
using ControlPlane.Workers.Evaluation.Importance;
using ControlPlane.Workers.Evaluation.Metrics;
using MudBlazor.Services;
using Plotly.Blazor.Traces;

namespace ControlPlane.Web.Tests.Components;

/// <summary>Importance and slice charts hand Plotly what the reports hold: bars, error bars, order and series.</summary>
public sealed class ImportanceChartsTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public ImportanceChartsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        PlotlyTraces.Hold(_ctx);
    }

    private static ImportanceReport Report(params (string Feature, double[] Drops)[] features) => new(
        "rocAuc", 0.9, features[0].Drops.Length, 7, 1000, 5000, [.. features.Select(f => FeatureImportance.From(f.Feature, f.Drops))]);

    [Fact]
    public void Importance_is_a_horizontal_bar_per_feature_with_the_standard_deviation_as_error_bars_most_important_on_top()
    {
        // income: drops 0.2 and 0.1 → mean 0.15, population SD 0.05; age: 0.02 and 0.04 → 0.03, SD 0.01.
        var report = Report(("income", [0.2, 0.1]), ("age", [0.02, 0.04]));

        var section = _ctx.Render<ImportanceSection>(p => p.Add(x => x.Report, report));

        var (data, layout) = PlotlyTraces.Of(section.FindComponent<ImportanceChart>());
        var bar = Assert.IsType<Bar>(Assert.Single(data));
        Assert.Equal(Plotly.Blazor.Traces.BarLib.OrientationEnum.H, bar.Orientation);
        Assert.Equal(["age", "income"], bar.Y.Cast<string>().ToList()); // Plotly draws the first category at the bottom
        var means = bar.X.Cast<double>().ToList();
        Assert.Equal(0.03, means[0], 12);
        Assert.Equal(0.15, means[1], 12);
        var errors = bar.ErrorX.Array.Cast<double>().ToList();
        Assert.Equal(0.01, errors[0], 12);
        Assert.Equal(0.05, errors[1], 12);
        Assert.Equal("drop in rocAuc", layout.XAxis[0].Title.Text);
        Assert.Equal("Drop in rocAuc (baseline 0.9) when a feature's column is shuffled: mean ± standard deviation over 2 repeats on 1,000 rows sampled from 5,000, seed 7.",
            System.Text.RegularExpressions.Regex.Replace(section.Find("[data-testid=importance-how]").TextContent.Trim(), @"\s+", " "));
    }

    [Fact]
    public void Two_versions_are_two_series_on_the_same_features_in_the_first_ones_order()
    {
        var candidate = Report(("income", [0.2]), ("age", [0.05]));
        var baseline = Report(("age", [0.1]), ("income", [0.01]), ("zip", [0.0]));

        var chart = _ctx.Render<ImportanceChart>(p => p.Add(x => x.Reports, [new ImportanceChart.Series("v2", candidate), new ImportanceChart.Series("v1", baseline)]));

        var (data, layout) = PlotlyTraces.Of(chart);
        Assert.Equal(["v2", "v1"], data.Cast<Bar>().Select(b => b.Name));
        Assert.All(data.Cast<Bar>(), b => Assert.Equal(["zip", "age", "income"], b.Y.Cast<string>().ToList()));
        Assert.Equal([null, 0.05, 0.2], data.Cast<Bar>().First().X.Cast<double?>().ToList());
        Assert.Equal([0.0, 0.1, 0.01], data.Cast<Bar>().Last().X.Cast<double?>().ToList());
        Assert.True(layout.ShowLegend);
    }

    [Fact]
    public void A_report_without_figures_says_why()
    {
        var report = ImportanceReport.NotMeasured(new ImportanceOptions(5, 1), "scored by ML.NET itself");

        var section = _ctx.Render<ImportanceSection>(p => p.Add(x => x.Report, report));

        Assert.Equal("scored by ML.NET itself", section.Find("[data-testid=importance-note]").TextContent);
        Assert.Empty(section.FindComponents<ImportanceChart>());
    }

    [Fact]
    public void Slice_errors_show_each_slice_with_its_interval_as_asymmetric_error_bars_worst_on_top()
    {
        SliceError[] errors =
        [
            new("south", 4, "accuracy", 0.5, 0.625, -0.125, 0.15, 0.85),
            new("north", 4, "accuracy", 0.75, 0.625, 0.125, 0.30, 0.95),
        ];

        var section = _ctx.Render<SliceErrorsSection>(p => p.Add(x => x.Errors, errors).Add(x => x.Column, "region"));

        var (data, layout) = PlotlyTraces.Of(section.FindComponent<IntervalChart>());
        var bar = Assert.IsType<Bar>(Assert.Single(data));
        Assert.Equal(["north", "south"], bar.Y.Cast<string>().ToList());
        var plus = bar.ErrorX.Array.Cast<double>().ToList();
        var minus = bar.ErrorX.ArrayMinus.Cast<double>().ToList();
        Assert.Equal(0.20, plus[0], 12);
        Assert.Equal(0.45, minus[0], 12);
        Assert.Equal(0.35, plus[1], 12);
        Assert.Equal(0.35, minus[1], 12);
        Assert.Equal(0.625, Assert.Single(layout.Shapes).X0);
        var rows = section.FindAll("[data-testid=slice-error-row]");
        Assert.Equal(["south", "4", "0.5", "0.15 – 0.85", "-0.125"], rows[0].Children.Select(c => c.TextContent).ToList());
    }

    [Fact]
    public void The_drift_attribution_table_lists_columns_in_the_views_order_with_each_features_rank()
    {
        var view = ControlPlane.Domain.Explainability.DriftAttributionView.Build(
            [("age", true, 0.5), ("income", true, 0.3), ("region", false, 0.05)],
            new ControlPlane.Domain.Explainability.ModelImportance(Guid.NewGuid(), "rocAuc", [("score", 0.4), ("income", 0.2), ("age", 0.01)]));

        var table = _ctx.Render<ControlPlane.Web.Components.Pages.Drift.DriftAttributionTable>(p => p.Add(x => x.Attribution, view));

        var rows = table.FindAll("[data-testid=attribution-row]").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToList()).ToList();
        // income: 0.2 × 0.3 = 0.06 before age: 0.01 × 0.5 = 0.005; region is not a model input.
        Assert.Equal(["income", "drifted", "0.3", "0.2 (#2 of 3)", "0.06"], rows[0]);
        Assert.Equal(["age", "drifted", "0.5", "0.01 (#3 of 3)", "0.005"], rows[1]);
        Assert.Equal(["region", "", "0.05", "—", "—"], rows[2]);
        Assert.Empty(table.FindAll("[data-testid=attribution-note]"));
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
