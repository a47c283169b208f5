using Bunit;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Components.Layout;
using ControlPlane.Web.Components.Pages.Datasets;
using ControlPlane.Web.Components.Pages.Evaluations;
using ControlPlane.Web.Components.Pages.Governance;
using ControlPlane.Web.Components.Pages.Models;
using ControlPlane.Web.Components.Shared;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Metrics;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;
using Plotly.Blazor.Traces;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// The shared charts and the one number formatter say what the data says: real values past a saturated colour,
/// confusion matrices by row share, differences marked by each metric's better direction, figures people read.
/// Expected strings are worked out by hand.
/// </summary>
public sealed class ChartsTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public ChartsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        PlotlyTraces.Hold(_ctx);
    }

    [Theory]
    [InlineData(213600, "213.6k")] // was 2.136E+05
    [InlineData(0.7866766126093294, "0.7867")]
    [InlineData(12, "12")]
    [InlineData(2.5e9, "2.5G")]
    [InlineData(0.00000015, "1.5e-7")]
    public void Format_gives_significant_digits_and_SI_prefixes_never_an_exponent_above_one(double value, string expected) =>
        Assert.Equal(expected, Figures.Format(value));

    [Theory]
    [InlineData(37593.3, "37.6k")]
    [InlineData(999950, "1M")] // rounds before it picks the prefix: not "1000k"
    [InlineData(-1234, "-1.23k")]
    [InlineData(0.78667, "0.787")]
    [InlineData(41, "41")]
    public void Compact_keeps_three_significant_digits(double value, string expected) => Assert.Equal(expected, Figures.Compact(value));

    [Theory]
    [InlineData(0.04, "40 ms")]
    [InlineData(0.0004, "0.4 ms")]
    [InlineData(1.5, "1.5 s")]
    [InlineData(12, "12 s")]
    [InlineData(95, "1 min 35 s")]
    [InlineData(120, "2 min")]
    [InlineData(3725, "1 h 2 min")]
    [InlineData(90000, "1 d 1 h")]
    public void Durations_read_in_the_unit_that_fits(double seconds, string expected) =>
        Assert.Equal(expected, Figures.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Counts_ratios_and_label_lists_read_as_people_write_them()
    {
        Assert.Equal("12,345", Figures.Count(12345));
        Assert.Equal(("1 model", "2 models", "0 models", "1,024 entries"),
            (Figures.Count(1, "model"), Figures.Count(2, "model"), Figures.Count(0, "model"), Figures.Count(1024, "entry", "entries")));
        Assert.Equal("11.67", Figures.Ratio(11.666666)); // a drift statistic over its threshold
        Assert.Equal("0.8", Figures.Ratio(0.8));
        Assert.Equal("0, 1", Figures.Labels(["0", "1"])); // was ["0","1"]
        Assert.Equal("a, b, c and 2 more", Figures.Labels(["a", "b", "c", "d", "e"], max: 3));
        // Parameters a training run records: features as a JSON list, hyperparameters round-tripped in full.
        Assert.Equal("age:Numeric, city:Categorical", Figures.Parameter("""["age:Numeric","city:Categorical"]"""));
        Assert.Equal("0.786677", Figures.Parameter("0.7866766126093294"));
        Assert.Equal("123456789", Figures.Parameter("123456789")); // counts stay whole
        Assert.Equal("holdout 0.2", Figures.Parameter("holdout 0.2"));
    }

    [Fact]
    public void Histogram_bins_get_short_unique_labels_with_the_full_edges_on_hover()
    {
        var bins = new List<(string, double?, double?)> { ("(-inf, 37593.3]", null, 37593.3), ("(37593.3, 41234.56]", 37593.3, 41234.56), ("(41234.56, inf)", 41234.56, null) };
        Assert.Equal(["< 37.6k", "37.6k–41.2k", "≥ 41.2k"], ProfileSeries.BinLabels(bins));

        // 3 digits would make two bins read alike (37.6k–37.6k twice): more digits until they differ.
        var close = new List<(string, double?, double?)> { ("a", 37590.0, 37596.0), ("b", 37596.0, 37604.0) };
        Assert.Equal(["37.59k–37.6k", "37.6k–37.6k"], ProfileSeries.BinLabels(close));

        var series = ProfileSeries.Shared(bins, [("reference", [10, 30, 10]), ("current", [5, 5, 40])]);
        Assert.Equal("current · (37593.3, 41234.56]: 5 (10.0%)", series[1].Hover![1]);
    }

    [Fact]
    public void The_confusion_matrix_is_coloured_by_row_share_and_says_counts_and_row_percentages()
    {
        // Actual 0: 22 right, 24 wrong (46); actual 1: 6 missed, 24 found (30). The two 24s are 52.2% and 80.0% of their rows.
        var labels = new byte[76];
        var scores = new double[76];
        for (var i = 0; i < 76; i++)
        {
            labels[i] = (byte)(i < 46 ? 0 : 1);
            scores[i] = i < 22 ? 0.1 : i < 46 ? 0.9 : i < 52 ? 0.2 : 0.8;
        }
        var report = BinaryMetrics.Compute(labels, scores);
        Assert.Equal([22L, 24L], report.ConfusionMatrix[0]);
        Assert.Equal([6L, 24L], report.ConfusionMatrix[1]);

        var charts = _ctx.Render<EvaluationCharts>(p => p.Add(x => x.Details, new EvaluationDetails(report, null, null, null, [], [1.0, 2.0, 1.5])));

        var (data, _) = PlotlyTraces.Of(charts.FindComponent<HeatmapChart>());
        var heat = Assert.IsType<HeatMap>(data[0]);
        var z = heat.Z.Cast<List<double>>().ToList();
        Assert.Equal(22.0 / 46, z[0][0], 9);
        Assert.Equal(24.0 / 46, z[0][1], 9);
        Assert.Equal(6.0 / 30, z[1][0], 9);
        Assert.Equal(24.0 / 30, z[1][1], 9);
        Assert.Equal(["22<br>47.8%", "24<br>52.2%"], (List<string>)heat.Text.Cast<object>().First());
        Assert.Equal(["6<br>20.0%", "24<br>80.0%"], (List<string>)heat.Text.Cast<object>().Last());
        Assert.Equal(1m, heat.ZMax);

        // Three batches make no histogram: the page says so, with what they do tell.
        Assert.Equal("3 batches: too few for a histogram (it shows one from 10). Median 1.5 ms, slowest 2 ms.", charts.Find("[data-testid=latency-too-few]").TextContent);
        Assert.Empty(charts.FindComponents<ProfileChart>());
    }

    [Fact]
    public void Promotion_metrics_are_shown_as_differences_marked_by_each_metrics_better_direction()
    {
        // Log loss fell (lower is better: better); ROC AUC fell (higher is better: worse).
        var evidence = Evidence(new Dictionary<string, double> { ["logLoss"] = 0.40, ["rocAuc"] = 0.80 }, new Dictionary<string, double> { ["logLoss"] = 0.45, ["rocAuc"] = 0.82 });

        var comparison = _ctx.Render<MetricComparison>(p => p.Add(x => x.Evidence, evidence));

        var (data, _) = PlotlyTraces.Of(comparison.FindComponent<GroupedBarChart>());
        var bar = Assert.IsType<Bar>(Assert.Single(data));
        Assert.Equal(["logLoss ↓", "rocAuc ↑"], bar.X.Cast<string>().ToList());
        var y = bar.Y.Cast<double>().ToList();
        Assert.Equal(-0.05, y[0], 9);
        Assert.Equal(-0.02, y[1], 9);
        Assert.Equal([MetricComparison.Better, MetricComparison.Worse], bar.Marker.ColorArray.Cast<string>().ToList());
        Assert.Equal("logLoss: 0.4 vs 0.45 (-0.05, lower is better): better", bar.HoverTextArray[0]);
        Assert.Equal("rocAuc: 0.8 vs 0.82 (-0.02, higher is better): worse", bar.HoverTextArray[1]);
    }

    [Fact]
    public void Metric_directions_come_from_one_place()
    {
        Assert.False(MetricNames.GreaterIsBetter(MetricNames.LogLoss));
        Assert.False(MetricNames.GreaterIsBetter(MetricNames.Brier));
        Assert.True(MetricNames.GreaterIsBetter(MetricNames.RocAuc));
        Assert.Null(MetricNames.GreaterIsBetter("revenue"));
    }

    [Fact]
    public void The_model_chart_opens_on_the_metric_the_policy_gates_else_a_headline_metric_not_accuracy()
    {
        string[] recorded = ["accuracy", "logLoss", "rocAuc"];
        var gated = new PolicyRules { EvaluationDataset = "holdout", MetricGates = [new MetricThreshold("logLoss", 0.5, null, null, false)] };

        Assert.Equal("logLoss", MetricChart.Default(gated, recorded));
        Assert.Equal("rocAuc", MetricChart.Default(PolicyRules.Default, recorded));
        Assert.Equal("rocAuc", MetricChart.Default(null, recorded));
        Assert.Equal("revenue", MetricChart.Default(null, ["revenue"]));
        Assert.Null(MetricChart.Default(null, []));
    }

    [Fact]
    public void In_dark_mode_a_chart_is_transparent_and_writes_in_the_themes_text_colour()
    {
        var chart = _ctx.Render<CascadingValue<ChartMode>>(p => p.Add(x => x.Value, new ChartMode(Dark: true))
            .AddChildContent<DonutChart>(d => d.Add(x => x.Slices, [new DonutChart.Slice("drifted", 1, "#d32f2f")])));

        var (_, layout) = PlotlyTraces.Of(chart.FindComponent<DonutChart>());
        Assert.Equal("rgba(0,0,0,0)", layout.PaperBgColor);
        Assert.Equal(ControlPlaneTheme.Theme.PaletteDark.TextPrimary.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA), layout.Font.Color);
        Assert.NotEqual(ControlPlaneTheme.Theme.PaletteLight.TextPrimary.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA), layout.Font.Color);
    }

    [Fact]
    public void Charts_follow_the_mode_the_theme_provider_is_switched_to()
    {
        ChartMode.Register(_ctx.Services);
        var provider = _ctx.Render<SharedThemeProvider>(p => p.Add(x => x.Theme, ControlPlaneTheme.Theme).Add(x => x.IsDarkMode, false));
        var donut = _ctx.Render<DonutChart>(p => p.Add(x => x.Slices, [new DonutChart.Slice("drifted", 1, "#d32f2f")]));
        Assert.Equal(ChartMode.Light.TextColor, PlotlyTraces.Of(donut).Layout.Font.Color);

        provider.Render(p => p.Add(x => x.IsDarkMode, true));

        donut.WaitForAssertion(() => Assert.Equal(new ChartMode(Dark: true).TextColor, PlotlyTraces.Of(donut).Layout.Font.Color));
        Assert.NotEqual(ChartMode.Light.TextColor, new ChartMode(Dark: true).TextColor);
    }

    private static PromotionEvidence Evidence(Dictionary<string, double> candidate, Dictionary<string, double> baseline) =>
        new("scorer", 2, Guid.NewGuid(), "sha", 1, "dana", "Production", Guid.NewGuid(), 1, new ModelCard(null, null, null, null),
            new EvaluationEvidence(Guid.NewGuid(), "holdout", 1, Guid.NewGuid(), DateTime.UtcNow, candidate),
            1, new EvaluationEvidence(Guid.NewGuid(), "holdout", 1, Guid.NewGuid(), DateTime.UtcNow, baseline), [], []);

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
