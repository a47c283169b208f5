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

    private async Task UpdateRunAsync(Guid id, Action<EvaluationRun> change)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        change(await db.EvaluationRuns.SingleAsync(e => e.Id == id));
        await db.SaveChangesAsync();
    }

    private async Task StoreRunAsync(Guid monitorId, DatasetDriftResult result)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var monitor = await db.DriftMonitors.SingleAsync(m => m.Id == monitorId);
        var current = await db.DatasetVersions.Where(v => v.Number == 2).Select(v => v.Id).SingleAsync();
        var now = DateTime.UtcNow;
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
