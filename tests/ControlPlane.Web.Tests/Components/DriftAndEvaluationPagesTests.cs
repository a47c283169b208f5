using System.Text;
using System.Text.Json;
using Bunit;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Drift;
using ControlPlane.Web.Components.Pages.Evaluations;
using ControlPlane.Web.Components.Shared;
using ControlPlane.Workers.Drift;
using ControlPlane.Workers.Drift.Statistics;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Metrics;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// The drift monitor and evaluation result pages over the real services. A finished run is stored the way its job
/// stores it (results computed by the real drift engine and metrics library), since this host has no job server.
/// </summary>
public sealed class DriftAndEvaluationPagesTests : RegistryComponentContext
{
    protected override Task SeedAsync()
    {
        Ctx.Services.AddSingleton(Host.As<DriftMonitors>(Scientist));
        Ctx.Services.AddSingleton(Host.As<EvaluationService>(Scientist));
        Ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
        return Task.CompletedTask;
    }

    private async Task AddAsync(string dataset, string csv)
    {
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        await Datasets.AddVersionAsync(dataset, file, "data.csv", null, null);
    }

    [Fact]
    public async Task The_monitor_page_shows_the_heatmap_trend_and_each_columns_tests_of_the_latest_run()
    {
        await Datasets.CreateAsync("traffic", null, null);
        var reference = string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},{(i % 2 == 0 ? "a" : "b")}\n"));
        var current = string.Concat(Enumerable.Range(0, 100).Select(i => $"{i + 50},{(i % 2 == 0 ? "a" : "b")}\n"));
        await AddAsync("traffic", "load,zone\n" + reference);
        await AddAsync("traffic", "load,zone\n" + current);
        var monitors = Host.As<DriftMonitors>(Scientist);
        var monitor = await monitors.CreateAsync(new DriftMonitorRequest("traffic-watch", new DatasetRef("traffic", 1), CurrentDataset: "traffic"));
        var result = DriftEngine.Compare(
            [DriftColumnInput.Numerical("load", [.. Enumerable.Range(0, 100).Select(i => (double)i)]), DriftColumnInput.Categorical("zone", [.. Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "a" : "b")])],
            [DriftColumnInput.Numerical("load", [.. Enumerable.Range(0, 100).Select(i => i + 50.0)]), DriftColumnInput.Categorical("zone", [.. Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "a" : "b")])]);
        await StoreRunAsync(monitor.Id, result);

        var page = Ctx.Render<MonitorPage>(p => p.Add(x => x.Id, monitor.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=drift-column]").Count));
        Assert.NotEmpty(page.FindAll("[data-testid=drift-heatmap]"));
        var load = page.Find("[data-testid=drift-column][data-column=load]").TextContent;
        Assert.Contains("KS: 0.5", load); // half of the reference lies below the current minimum
        Assert.DoesNotContain("no drift", load);
        Assert.Contains("no drift", page.Find("[data-testid=drift-column][data-column=zone]").TextContent);
        Assert.Contains("manual", page.Find("[data-testid=drift-runs]").TextContent);
    }

    [Fact]
    public async Task The_drift_heatmap_shows_the_real_score_where_its_colour_saturates()
    {
        // Current lies wholly above the reference: KS p is tiny, far past ten times its threshold on the −log10 scale.
        var (monitor, result) = await LoadMonitorAsync(1000, DateTime.UtcNow);
        var test = result.Columns[0].Tests[0];
        var expected = Math.Log10(test.AdjustedPValue ?? test.PValue!.Value) / Math.Log10(test.Threshold);
        Assert.True(expected > 10, $"the score should pass the saturation point, got {expected}");
        PlotlyTraces.Hold(Ctx);

        var page = Ctx.Render<MonitorPage>(p => p.Add(x => x.Id, monitor.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=drift-heatmap]")));
        var (data, _) = PlotlyTraces.Of(page.FindComponent<HeatmapChart>());
        var heat = Assert.IsType<Plotly.Blazor.Traces.HeatMap>(Assert.Single(data));
        Assert.Equal(expected, ((List<double>)heat.Z[0]).Single(), 9); // the real value, not 10
        Assert.Equal(Figures.Ratio(expected), ((List<string>)heat.Text[0]).Single());
        Assert.Contains(Figures.Ratio(expected), ((List<string>)heat.HoverText[0]).Single());
        Assert.Equal(10m, heat.ZMax); // the colour stops growing at 10 …
        Assert.Equal("≥ 10", heat.ColorBar.TickText.Last()); // … and the scale says so
        Assert.Contains("colour saturates at 10", page.Find("[data-testid=drift-heatmap]").TextContent);
    }

    [Fact]
    public async Task The_drift_trend_counts_runs_in_whole_numbers_with_each_runs_time_on_hover()
    {
        var first = new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
        var (monitor, _) = await LoadMonitorAsync(50, first, first.AddDays(1), first.AddDays(2));
        PlotlyTraces.Hold(Ctx);

        var page = Ctx.Render<MonitorPage>(p => p.Add(x => x.Id, monitor.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=drift-trends]")));
        var (data, layout) = PlotlyTraces.Of(page.FindComponent<LineChart>());
        var load = (Plotly.Blazor.Traces.Scatter)data.First(t => ((Plotly.Blazor.Traces.Scatter)t).Name == "load");
        Assert.Equal([1.0, 2.0, 3.0], load.X.Cast<double>());
        Assert.Equal(1m, layout.XAxis[0].DTick is { } step ? Convert.ToDecimal(step, System.Globalization.CultureInfo.InvariantCulture) : 0m); // no 1.5 runs
        Assert.Equal("d", layout.XAxis[0].TickFormat);
        Assert.StartsWith("load · run #2, 2026-03-02 08:00 UTC: ", load.HoverTextArray[1]);
    }

    [Fact]
    public async Task The_monitor_page_shows_a_blind_test_warning_under_the_column_it_concerns()
    {
        await Datasets.CreateAsync("traffic", null, null);
        await AddAsync("traffic", "zone\na\nb\nc\n");
        await AddAsync("traffic", "zone\nb\nc\nd\n");
        var monitor = await Host.As<DriftMonitors>(Scientist).CreateAsync(new DriftMonitorRequest("traffic-watch", new DatasetRef("traffic", 1), CurrentDataset: "traffic"));
        // 100 values over 40 zones: every expected count is 2.5, so chi-square (the default up to 1,000 values) is blind.
        string?[] Zones(int shift) => [.. Enumerable.Range(0, 100).Select(i => $"z{(i + shift) % 40}")];
        string?[] Halves() => [.. Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "a" : "b")];
        var result = DriftEngine.Compare(
            [DriftColumnInput.Categorical("zone", Zones(0)), DriftColumnInput.Categorical("half", Halves())],
            [DriftColumnInput.Categorical("zone", Zones(7)), DriftColumnInput.Categorical("half", Halves())]);
        await StoreRunAsync(monitor.Id, result);

        var page = Ctx.Render<MonitorPage>(p => p.Add(x => x.Id, monitor.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=drift-column]").Count));
        var warning = page.Find("[data-testid=drift-column][data-column=zone] [data-testid=blind-test-warning]").TextContent;
        Assert.Contains("χ² cannot be trusted here", warning);
        Assert.Contains("Read Jensen–Shannon instead", warning);
        Assert.Empty(page.FindAll("[data-testid=drift-column][data-column=half] [data-testid=blind-test-warning]"));
    }

    [Fact]
    public async Task The_evaluation_page_shows_metric_cards_curves_and_the_confusion_matrix()
    {
        var id = await ScoredEvaluationAsync(EvaluationStatus.Succeeded);

        var page = Ctx.Render<EvaluationPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=metric-card]")));
        Assert.Equal("0.75", page.Find("[data-metric=accuracy]").TextContent.Replace("accuracy", "").Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=roc-curve]"));
        Assert.NotEmpty(page.FindAll("[data-testid=confusion-matrix]"));
        Assert.Contains("CPUExecutionProvider", page.Find("[data-testid=provenance]").TextContent);
    }

    [Fact]
    public async Task An_open_evaluation_page_follows_its_run_as_the_row_changes()
    {
        var id = await ScoredEvaluationAsync(EvaluationStatus.Queued);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Ctx.Render<EvaluationPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Contains("Waiting for a worker", page.Markup));
        Assert.True(Live.HasSubscribers);

        // A worker in another process moves the row; the watcher's tick is what the page hears.
        await UpdateRunAsync(id, r => { r.Status = EvaluationStatus.Running; r.Progress = 0.5; r.StartedAtUtc = DateTime.UtcNow; });
        await Live.TickAsync();
        page.WaitForAssertion(() => Assert.Contains("Scoring the dataset", page.Markup));
        Assert.Equal("50", page.Find(".mud-progress-linear").GetAttribute("aria-valuenow"));

        await UpdateRunAsync(id, r => { r.Status = EvaluationStatus.Succeeded; r.Progress = 1; r.CompletedAtUtc = DateTime.UtcNow; });
        await Live.TickAsync();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=metric-card]")));
        Assert.False(Live.HasSubscribers); // a finished run is no longer watched
    }

    [Fact]
    public async Task Compare_without_ids_offers_a_picker_of_recent_finished_evaluations_instead_of_an_error()
    {
        var first = await ScoredEvaluationAsync(EvaluationStatus.Succeeded);
        var second = await StoreEvaluationAsync("scorer", "scored", BinaryMetrics.Compute([1, 0, 1, 1], [0.9, 0.1, 0.8, 0.7]), EvaluationStatus.Succeeded);
        var running = await StoreEvaluationAsync("scorer", "scored", BinaryMetrics.Compute([1, 0, 1, 1], [0.9, 0.1, 0.8, 0.7]), EvaluationStatus.Running);

        var page = Ctx.Render<CompareEvaluations>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=compare-picker]")));
        Assert.Empty(page.FindAll("[data-testid=compare-error]"));
        Assert.DoesNotContain("does not exist", page.Markup);
        var rows = page.FindAll("[data-testid=compare-picker] tbody tr").Select(r => r.GetAttribute("data-evaluation")).ToList();
        Assert.Equal(new[] { first, second }.Select(g => g.ToString()).Order(), rows.Order());
        Assert.DoesNotContain(running.ToString(), rows);
        Assert.Empty(page.FindAll("#compare-picked"));

        page.Find($"tr[data-evaluation='{second}'] input[name=candidate]").Change(true);
        page.Find($"tr[data-evaluation='{first}'] input[name=baseline]").Change(true);

        Assert.Equal($"/evaluations/compare?candidate={second}&baseline={first}", page.Find("#compare-picked").GetAttribute("href"));
    }

    /// <summary>A model scored on a four-row dataset, stored as its job would store it in the given state.</summary>
    private async Task<Guid> ScoredEvaluationAsync(EvaluationStatus status)
    {
        await Datasets.CreateAsync("scored", null, null);
        await AddAsync("scored", "f1,f2,f3,label\n1,0,0,1\n-1,0,0,0\n2,0,0,1\n-2,0,0,1\n");
        await using (var model = new MemoryStream(HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f)))
        {
            await Registry.CreateModelAsync("scorer", null, null);
            await Registry.RegisterVersionAsync("scorer", model, "m.onnx", null);
        }
        var report = BinaryMetrics.Compute([1, 0, 1, 1], [0.73, 0.27, 0.88, 0.12]);
        return await StoreEvaluationAsync("scorer", "scored", report, status);
    }

    /// <summary>A monitor whose one column, load, reads <paramref name="shift"/> higher now than in the reference; one stored run at each time.</summary>
    private async Task<(DriftMonitorView Monitor, DatasetDriftResult Result)> LoadMonitorAsync(double shift, params DateTime[] runs)
    {
        await Datasets.CreateAsync("traffic", null, null);
        await AddAsync("traffic", "load\n1\n");
        await AddAsync("traffic", "load\n2\n");
        var monitor = await Host.As<DriftMonitors>(Scientist).CreateAsync(new DriftMonitorRequest("traffic-watch", new DatasetRef("traffic", 1), CurrentDataset: "traffic"));
        var result = DriftEngine.Compare(
            [DriftColumnInput.Numerical("load", [.. Enumerable.Range(0, 100).Select(i => (double)i)])],
            [DriftColumnInput.Numerical("load", [.. Enumerable.Range(0, 100).Select(i => i + shift)])]);
        foreach (var at in runs)
            await StoreRunAsync(monitor.Id, result, at);
        return (monitor, result);
    }

    private async Task UpdateRunAsync(Guid id, Action<EvaluationRun> change)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        change(await db.EvaluationRuns.SingleAsync(e => e.Id == id));
        await db.SaveChangesAsync();
    }

    private async Task StoreRunAsync(Guid monitorId, DatasetDriftResult result, DateTime? requestedAt = null)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var monitor = await db.DriftMonitors.SingleAsync(m => m.Id == monitorId);
        var current = await db.DatasetVersions.Where(v => v.Number == 2).Select(v => v.Id).SingleAsync();
        var now = requestedAt ?? DateTime.UtcNow;
        db.DriftRuns.Add(new DriftRun
        {
            Id = Guid.CreateVersion7(), MonitorId = monitorId, ReferenceDatasetVersionId = monitor.ReferenceDatasetVersionId, CurrentDatasetVersionId = current,
            Trigger = "manual", Status = DriftRunStatus.Succeeded, DatasetDrift = result.DatasetDrift, DriftShare = result.DriftShare,
            DriftedColumns = result.Columns.Count(c => c.Drifted), Results = JsonSerializer.Serialize(result, DriftRunner.Json), DurationMs = 12,
            RequestedBy = "dana", RequestedAtUtc = now, StartedAtUtc = now, CompletedAtUtc = now,
        });
        await db.SaveChangesAsync();
    }

    private async Task<Guid> StoreEvaluationAsync(string model, string dataset, BinaryReport report, EvaluationStatus status)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var version = await db.Versions.SingleAsync(v => v.Model!.Name == model);
        var data = await db.DatasetVersions.SingleAsync(v => v.Dataset!.Name == dataset);
        var now = DateTime.UtcNow;
        var run = new EvaluationRun
        {
            Id = Guid.CreateVersion7(), ModelVersionId = version.Id, DatasetVersionId = data.Id, LabelColumn = "label", Task = EvaluationTask.Binary,
            Status = status, Progress = status == EvaluationStatus.Succeeded ? 1 : 0, Metrics = JsonSerializer.Serialize(report.Flatten()),
            Details = JsonSerializer.Serialize(new EvaluationDetails(report, null, null, null, [], [1.0, 2.0, 1.5]), EvaluationDetails.Json),
            Provenance = """{"executionProvider":"CPUExecutionProvider","rows":4}""", RequestedBy = "dana", RequestedAtUtc = now, StartedAtUtc = now, CompletedAtUtc = now,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        db.EvaluationRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
