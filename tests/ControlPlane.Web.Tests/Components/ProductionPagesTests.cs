using Bunit;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Production;
using ControlPlane.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor.Traces;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// The Production tab and the production monitor page over the real service, with windows stored as the windows job
/// stores them (rows with hand-made results), so each chart's series can be checked against the numbers put in.
/// </summary>
public sealed class ProductionPagesTests : RegistryComponentContext
{
    private static readonly DateTime Start = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
    private ProductionMonitorView _monitor = null!;
    private Bunit.TestDoubles.BunitAuthorizationContext _auth = null!;

    protected override async Task SeedAsync()
    {
        await Registry.CreateModelAsync("scorer", null, null);
        for (var i = 0; i < 2; i++)
        {
            await using var onnx = new MemoryStream(HandBuiltOnnx.Identity());
            await Registry.RegisterVersionAsync("scorer", onnx, "m.onnx", null);
        }
        await Host.As<ModelAliases>(Scientist).SetAsync("scorer", "current", 2, "live");
        var monitors = Host.As<ProductionMonitors>(Scientist);
        _monitor = await monitors.CreateAsync("scorer", new ProductionMonitorRequest("live", ProductionTarget.Alias, "current",
            Settings: new ProductionMonitorSettings { LatencyP95Ms = 50, PerformanceMetric = "rocAuc", PerformanceThreshold = 0.7, DriftAlpha = 0.05 }));
        Ctx.Services.AddSingleton(monitors);
        Ctx.Services.AddSingleton(Host.As<TelemetryRetention>(Scientist));
        Ctx.Services.AddSingleton(Host.As<ControlPlane.Domain.Comparisons.ChallengerComparisons>(Scientist));
        _auth = Ctx.AddAuthorization();
        _auth.SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
    }

    private static ObjectiveResult P95(double actual) => new("latency p95", "slo", 50, actual, actual <= 50);

    private async Task StoreWindowsAsync()
    {
        var results = new[]
        {
            new ProductionWindowResult
            {
                Predictions = 100, Errors = 2, ErrorRate = 0.02, Latency = new LatencyFigures(100, 12, 8, 40, 60),
                Served = [new ServedSlice(2, "primary", 90), new ServedSlice(1, "shadow", 10)],
                Features = [new FeatureWindow("income", "numerical", 100, 0, new DriftFigure("ks", 0.2, 0.01, 0.05, true, 500, 100), null),
                            new FeatureWindow("zone", "categorical", 100, 0, new DriftFigure("chi2", 1.1, 0.5, 0.5, false, 500, 100), null)],
                Estimated = new EstimatedPerformance("CBPE", "rocAuc", 0.80, 0.025, 0.75, 0.85, 100),
                Objectives = [P95(40)],
            },
            new ProductionWindowResult
            {
                Predictions = 120, Errors = 0, ErrorRate = 0, Latency = new LatencyFigures(120, 13, 9, 45, 70),
                Served = [new ServedSlice(2, "primary", 120)],
                Features = [new FeatureWindow("income", "numerical", 120, 0, new DriftFigure("ks", 0.1, 0.2, 0.4, false, 500, 120), null)],
                Realised = new RealisedPerformance(48, 0.4, new Dictionary<string, double> { ["rocAuc"] = 0.78, ["accuracy"] = 0.7 }),
                Estimated = new EstimatedPerformance("CBPE", "rocAuc", 0.79, 0.02, 0.75, 0.83, 120),
                Objectives = [P95(45), new("rocAuc", "performance", 0.7, 0.78, true)],
            },
            new ProductionWindowResult
            {
                Predictions = 80, Errors = 8, ErrorRate = 0.1, Latency = new LatencyFigures(80, 30, 20, 70, 90),
                Served = [new ServedSlice(2, "primary", 72), new ServedSlice(1, "shadow", 8)],
                Features = [new FeatureWindow("income", "numerical", 80, 0, new DriftFigure("ks", 0.6, 1e-13, 1e-12, true, 500, 80), null)],
                Objectives = [P95(70), new("rocAuc", "performance", 0.7, null, null)],
                Breaches = ["slo"], Warnings = ["Too few labelled predictions to judge rocAuc (0 of 30)."],
            },
        };
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        for (var h = 0; h < results.Length; h++)
            db.ProductionWindows.Add(new ProductionWindow
            {
                Id = Guid.NewGuid(), MonitorId = _monitor.Id, StartUtc = Start.AddHours(h), EndUtc = Start.AddHours(h + 1), ComputedAtUtc = Start.AddHours(h + 1),
                Predictions = results[h].Predictions, Errors = results[h].Errors, Labelled = results[h].Realised?.Labelled ?? 0,
                Health = results[h].Breaches.Count > 0 ? WindowHealth.Breached : WindowHealth.Healthy, Breaches = string.Join(',', results[h].Breaches),
                Results = results[h].ToJson(), InputsStamp = $"stamp-{h}",
            });
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<ProductionMonitorPage> RenderPage() =>
        Ctx.Render<ProductionMonitorPage>(p => p.Add(x => x.Name, "scorer").Add(x => x.Monitor, "live"));

    /// <summary>The traces Plotly gets from the time chart that draws a series of this name.</summary>
    private static IList<Plotly.Blazor.ITrace> Chart(IRenderedComponent<ProductionMonitorPage> page, string series) =>
        PlotlyTraces.Of(page.FindComponents<TimeSeriesChart>().Single(c => c.Instance.Lines.Any(l => l.Name == series))).Data;

    private static double?[] Ys(Plotly.Blazor.ITrace trace) => (trace switch
    {
        Scatter s => s.Y,
        Bar b => b.Y,
        _ => throw new InvalidOperationException(trace.GetType().Name),
    }).Select(v => v is null ? (double?)null : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static Plotly.Blazor.ITrace Trace(IList<Plotly.Blazor.ITrace> data, string name) =>
        data.Single(t => (t as Scatter)?.Name == name || (t as Bar)?.Name == name);

    [Fact]
    public async Task The_monitor_page_charts_traffic_latency_performance_objectives_and_versions_served_from_the_windows()
    {
        await StoreWindowsAsync();
        PlotlyTraces.Hold(Ctx);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-traffic]")));
        var traffic = Chart(page, "predictions");
        Assert.Equal([100.0, 120, 80], Ys(Trace(traffic, "predictions")));
        var errors = (Scatter)Trace(traffic, "error rate");
        Assert.Equal([0.02, 0, 0.1], Ys(errors));
        Assert.Equal("y2", errors.YAxis); // a share on the right-hand axis, not on the counts' scale

        var latency = Chart(page, "p95");
        Assert.Equal([8.0, 9, 20], Ys(Trace(latency, "p50")));
        Assert.Equal([40.0, 45, 70], Ys(Trace(latency, "p95")));
        Assert.Equal([60.0, 70, 90], Ys(Trace(latency, "p99")));
        Assert.Equal([50.0, 50, 50], Ys(Trace(latency, "p95 objective")));
        Assert.DoesNotContain(latency, t => (t as Scatter)?.Name == "p99 objective"); // none was set

        var performance = Chart(page, "rocAuc realised");
        Assert.Equal([null, 0.78, null], Ys(Trace(performance, "rocAuc realised")));
        Assert.Equal([0.80, 0.79, null], Ys(Trace(performance, "rocAuc estimated (CBPE)")));
        Assert.Equal([0.75, 0.75, null], Ys(Trace(performance, "CBPE 95% band (lower)")));
        var band = (Scatter)Trace(performance, "CBPE 95% band");
        Assert.Equal([0.85, 0.83, null], Ys(band));
        Assert.Equal(Plotly.Blazor.Traces.ScatterLib.FillEnum.ToNextY, band.Fill);
        Assert.Equal([0.0, 0.4, 0.0], Ys(Trace(performance, "label coverage"))); // 48 of 120 labelled; none in the others
        Assert.Equal([0.7, 0.7, 0.7], Ys(Trace(performance, "rocAuc objective")));

        var slo = Chart(page, "met");
        Assert.Equal([1.0, 2, 0], Ys(Trace(slo, "met")));
        Assert.Equal([0.0, 0, 1], Ys(Trace(slo, "missed"))); // the third window's rocAuc was not judged: neither met nor missed
        Assert.Contains("missed latency p95", ((Bar)Trace(slo, "missed")).HoverTextArray[2]);

        var served = Chart(page, "v2 primary");
        Assert.Equal([90.0, 120, 72], Ys(Trace(served, "v2 primary")));
        Assert.Equal([10.0, 0, 8], Ys(Trace(served, "v1 shadow"))); // the shadow served none of the second window

        var breaches = page.Find("[data-testid=production-breaches]").TextContent;
        Assert.Contains("2026-03-01 10:00", breaches);
        Assert.Contains("slo", breaches);
        Assert.DoesNotContain("09:00", breaches);
        Assert.Contains("Too few labelled predictions", page.Find("[data-testid=production-warning]").TextContent);
    }

    [Fact]
    public async Task The_drift_heatmap_scores_each_feature_by_its_adjusted_p_value_against_alpha_and_saturates_like_the_drift_page()
    {
        await StoreWindowsAsync();
        PlotlyTraces.Hold(Ctx);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-drift]")));
        var heat = Assert.IsType<HeatMap>(Assert.Single(PlotlyTraces.Of(page.FindComponent<HeatmapChart>()).Data));
        Assert.Equal(["income", "zone"], heat.Y.Cast<string>());
        Assert.Equal(["03-01 08:00", "03-01 09:00", "03-01 10:00"], heat.X.Cast<string>());
        var income = (List<double>)heat.Z[0];
        Assert.Equal(1.0, income[0], 9);                        // adjusted p = alpha: exactly the threshold
        Assert.Equal(Math.Log10(0.4) / Math.Log10(0.05), income[1], 9); // 0.306: well below it
        Assert.Equal(12 / -Math.Log10(0.05), income[2], 9);      // 9.22 for q = 1e-12
        Assert.Equal(Math.Log10(0.5) / Math.Log10(0.05), ((List<double>)heat.Z[1])[0], 9);
        Assert.Equal(["q=0.05", "q=0.4", "q=1e-12"], (List<string>)heat.Text[0]);
        Assert.Equal("—", ((List<string>)heat.Text[1])[1]); // zone was not in the second window
        Assert.Equal(10m, heat.ZMax);
    }

    [Fact]
    public void Without_windows_the_page_says_where_to_send_predictions_and_draws_no_chart()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=production-empty]")));
        Assert.Contains("POST /api/v1/models/scorer/predictions", page.Find("[data-testid=production-empty]").TextContent);
        Assert.Empty(page.FindComponents<TimeSeriesChart>());
        Assert.Contains("alias current", page.Find("[data-testid=production-facts]").TextContent);
        Assert.Contains("p95 ≤ 50 ms", page.Find("[data-testid=production-facts]").TextContent);
    }

    [Fact]
    public async Task The_production_tab_lists_each_monitor_with_its_latest_windows_health_and_hides_the_retention_control_from_non_admins()
    {
        await StoreWindowsAsync();

        var tab = Ctx.Render<ProductionTab>(p => p.Add(x => x.Model, "scorer"));

        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-testid=production-monitor-row]")));
        var row = tab.Find("[data-testid=production-monitor-row][data-monitor=live]");
        Assert.Contains("⚠ slo", row.QuerySelector("[data-testid=window-health]")!.TextContent);
        Assert.Contains("80", row.TextContent);
        Assert.Equal("/models/scorer/production/live", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("183 days (the server's default)", tab.Find("[data-testid=retention-effective]").TextContent);
        Assert.Empty(tab.FindAll("[data-testid=retention-control]"));
        Assert.NotEmpty(tab.FindAll("#new-production-monitor"));
    }

    [Fact]
    public void An_admin_sees_the_retention_control_and_a_reviewer_sees_neither_it_nor_the_create_button()
    {
        _auth.SetAuthorized("ada").SetRoles(ControlPlaneRoles.Admin);
        var admin = Ctx.Render<ProductionTab>(p => p.Add(x => x.Model, "scorer"));
        admin.WaitForAssertion(() => Assert.NotEmpty(admin.FindAll("[data-testid=retention-control]")));

        _auth.SetAuthorized("rita").SetRoles(ControlPlaneRoles.ComplianceReviewer);
        var reviewer = Ctx.Render<ProductionTab>(p => p.Add(x => x.Model, "scorer"));
        reviewer.WaitForAssertion(() => Assert.NotEmpty(reviewer.FindAll("[data-testid=production-monitor-row]")));
        Assert.Empty(reviewer.FindAll("[data-testid=retention-control]"));
        Assert.Empty(reviewer.FindAll("#new-production-monitor"));
        Assert.Contains("no windows yet", reviewer.Find("[data-testid=window-health]").TextContent);
    }
}
