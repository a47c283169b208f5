using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Costs;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Web.Components.Pages.Admin;
using ControlPlane.Web.Components.Pages.Costs;
using ControlPlane.Web.Components.Shared;
using ControlPlane.Web.Tests.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Plotly.Blazor.Traces;

namespace ControlPlane.Web.Tests.Costs;

/// <summary>The cost page and the admin rates page over the real cost services and a SQLite file (default rate 6/h).</summary>
public sealed class CostPagesTests : IAsyncLifetime
{
    private static readonly Actor Reviewer = new("u-rita", "rita", new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true);
    private static readonly Actor Admin = new("u-admin", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private readonly BunitContext _ctx = new();
    private DomainHost _host = null!;

    private static DateTime At(int day, int hour, int minute = 0) => new(2026, 1, day, hour, minute, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Costs:DefaultHourlyRate"] = "6" });
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(_host.As<ControlPlane.Domain.Costs.Costs>(Reviewer));
        _ctx.Services.AddSingleton(_host.As<CostRates>(Admin));
        _ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var churn = new RegisteredModel { Id = Guid.NewGuid(), Name = "churn", NormalizedName = "CHURN", Owner = "dana" };
        var fraud = new RegisteredModel { Id = Guid.NewGuid(), Name = "fraud", NormalizedName = "FRAUD", Owner = "dana" };
        db.Models.AddRange(churn, fraud);
        // 10 January, alone on their workers: churn's training 1 h × 6 = 6; fraud's drift run 0.5 h × 6 = 3.
        db.JobUsages.Add(Usage("TrainingJob", churn.Id, "w1", At(10, 10), At(10, 11), rows: 1200, cpuMs: 2500));
        db.JobUsages.Add(Usage("DriftRunJob", fraud.Id, "w2", At(10, 12), At(10, 12, 30), rows: 200, cpuMs: 900));
        await db.SaveChangesAsync();
    }

    private static JobUsage Usage(string kind, Guid model, string worker, DateTime start, DateTime end, long rows, double cpuMs) => new()
    {
        Id = Guid.CreateVersion7(), JobId = "7", Kind = kind, ModelId = model, Worker = worker, Queue = "default", StartedAtUtc = start, EndedAtUtc = end,
        Outcome = JobUsageOutcome.Succeeded, WallMs = (end - start).TotalMilliseconds, CpuMs = cpuMs, Rows = rows, PeakMemoryBytes = 300L << 20,
    };

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public void The_cost_page_shows_the_total_the_costliest_runs_and_stacked_bars_per_model_and_month()
    {
        PlotlyTraces.Hold(_ctx);

        var page = _ctx.Render<CostsPage>();

        page.WaitForAssertion(() => Assert.Contains("Total 9.00 USD", page.Find("[data-testid=cost-total]").TextContent));
        var rows = page.FindAll("[data-testid=costly-runs] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("TrainingJob", rows[0].TextContent);
        Assert.Contains("6.00 USD", rows[0].TextContent);
        Assert.Contains("1,200", rows[0].TextContent);
        Assert.Contains("3.00 USD", rows[1].TextContent);
        var byModel = page.FindComponents<GroupedBarChart>()[0];
        var (data, layout) = PlotlyTraces.Of(byModel);
        Assert.Equal(Plotly.Blazor.LayoutLib.BarModeEnum.Stack, layout.BarMode);
        var bars = data.Cast<Bar>().ToDictionary(b => b.Name);
        Assert.Equal(["churn", "fraud"], bars.Keys.Order());
        var january = bars["churn"].X.Cast<string>().ToList().IndexOf("2026-01");
        Assert.Equal(11, january); // the last of the twelve months shown
        Assert.Equal(6.0, bars["churn"].Y[january]);
        Assert.Equal(3.0, bars["fraud"].Y[january]);
        Assert.Contains("No wasted retrains", page.Find("[data-testid=wasted-retrains]").TextContent);
        Assert.Contains("No idle monitors", page.Find("[data-testid=idle-monitors]").TextContent);
    }

    [Fact]
    public async Task The_rates_page_saves_a_queue_rate_that_then_prices_the_runs()
    {
        var page = _ctx.Render<CostRatesAdmin>();
        page.WaitForAssertion(() => Assert.Contains("6 USD/h", page.Find("[data-testid=default-rate]").TextContent));

        var field = page.Find("[data-testid=queue-default]");
        (field.TagName == "INPUT" ? field : field.QuerySelector("input")!).Change("12");
        await page.Find("#save-rates").ClickAsync(new());

        var view = await _host.As<CostRates>(Admin).GetAsync();
        Assert.Equal(12.0, view.Queues["default"]);
        var top = await _host.As<ControlPlane.Domain.Costs.Costs>(Reviewer).TopRunsAsync(5, At(1, 0), At(31, 0));
        Assert.Equal([12.0, 6.0], top.Select(r => r.Cost)); // 1 h and 0.5 h at 12/h
    }
}
