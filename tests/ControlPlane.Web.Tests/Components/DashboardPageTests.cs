using System.Text;
using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Dashboard;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The home dashboard over the real queries: what each role sees, and the empty state.</summary>
public sealed class DashboardPageTests : RegistryComponentContext
{
    private static readonly Actor Admin = new("admin-id", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);

    private sealed class FixedJobMonitor : IJobMonitor
    {
        public JobSystemStatus? Read() => new(1, [new QueueStatus("default", 3), new QueueStatus("gpu", 0)], 1, 0, 2, 40);
    }

    private void ShowAs(Actor actor, params string[] roles)
    {
        var scope = Host.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current = actor;
        Ctx.Services.AddSingleton(new DashboardQueries(Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>(),
            scope.ServiceProvider.GetRequiredService<ActorContext>(), new FixedJobMonitor()));
        Ctx.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ControlPlane.Domain.Governance.Promotions>());
        Ctx.AddAuthorization().SetAuthorized(actor.Name).SetRoles(roles);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
    }

    private async Task SeedAsync(bool drifted)
    {
        await Datasets.CreateAsync("loans", null, null);
        await using (var file = new MemoryStream(Encoding.UTF8.GetBytes("f1,f2,f3,label\n1,0,0,1\n")))
            await Datasets.AddVersionAsync("loans", file, "data.csv", null, null);
        await Registry.CreateModelAsync("scorer", null, null);
        await using (var model = new MemoryStream(HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f)))
            await Registry.RegisterVersionAsync("scorer", model, "m.onnx", null);
        await Registry.SetStageAsync("scorer", 1, LifecycleStage.Staging, "try it");
        var monitor = await Host.As<DriftMonitors>(Scientist).CreateAsync(new DriftMonitorRequest("loans-watch", new DatasetRef("loans", 1), CurrentDataset: "loans"));
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        await db.DriftMonitors.Where(m => m.Id == monitor.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastRunDrifted, drifted).SetProperty(m => m.LastRunAtUtc, DateTime.UtcNow));
    }

    [Fact]
    public async Task A_data_scientist_sees_their_models_drift_alerts_counts_by_stage_and_readable_activity()
    {
        await SeedAsync(drifted: true);
        ShowAs(Scientist, ControlPlaneRoles.DataScientist);

        var page = Ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=my-models]")));
        Assert.Empty(page.FindAll("[data-testid=reviewer-inbox]")); // not a reviewer
        Assert.Contains("scorer", page.Find("[data-testid=my-models]").TextContent);
        Assert.Contains("My models", page.Find("[data-testid=my-models] h6").TextContent);
        Assert.Empty(page.FindAll("[data-testid=team-models]"));
        Assert.Contains("Staging", page.Find("[data-testid=my-models]").TextContent);
        Assert.Contains("loans-watch", page.Find("[data-testid=drift-alerts]").TextContent);
        Assert.Equal("1", page.Find("[data-stage=Staging] .mud-typography-h4").TextContent);
        Assert.Equal("0", page.Find("[data-stage=Production] .mud-typography-h4").TextContent);
        Assert.Contains("1 drifted · 0 no drift · 0 not run yet", page.Find("[data-testid=drift-counts]").TextContent);
        var activity = page.FindAll("[data-testid=activity]").Select(a => a.TextContent).ToList();
        Assert.Contains(activity, a => a.Contains("dana created the drift monitor loans-watch"));
        Assert.True(activity.Any(a => a.Contains("changed the stage of scorer v1")), string.Join(" / ", activity));
        Assert.Empty(page.FindAll("[data-testid=job-status]"));
        Assert.Empty(page.FindAll("[data-testid=empty-dashboard]"));
    }

    [Fact]
    public async Task An_admin_sees_workers_queues_and_failed_jobs_but_no_scientist_panel()
    {
        await SeedAsync(drifted: false);
        ShowAs(Admin, ControlPlaneRoles.Admin);

        var page = Ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=job-status]")));
        Assert.Equal("2 failed", page.Find("[data-testid=failed-jobs]").TextContent.Trim());
        Assert.Contains("default: 3 waiting", page.Find("[data-queue=default]").TextContent);
        Assert.Contains("0 scheduled monitors", page.Find("[data-testid=admin-links]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=my-models]"));
        Assert.Contains("Awaiting your review (0)", page.Find("[data-testid=reviewer-inbox]").TextContent);
    }

    [Fact]
    public void A_fresh_installation_shows_the_friendly_empty_state()
    {
        ShowAs(Scientist, ControlPlaneRoles.DataScientist);

        var page = Ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=empty-dashboard]")));
        Assert.Contains("No drift monitors yet", page.Find("[data-testid=drift-overview]").TextContent);
    }

    [Fact]
    public async Task Anonymous_callers_get_no_figures()
    {
        var scope = Host.Services.CreateScope();
        var queries = new DashboardQueries(Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>(),
            scope.ServiceProvider.GetRequiredService<ActorContext>(), new FixedJobMonitor());

        await Assert.ThrowsAsync<AuthenticationFailedException>(() => queries.GetAsync());
    }

    [Fact]
    public async Task A_newcomer_without_models_or_evaluations_sees_the_teams_recent_ones_and_says_so()
    {
        await SeedAsync(drifted: false); // dana's model, dataset and monitor
        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var version = await db.Versions.SingleAsync(v => v.Model!.Name == "scorer");
            var data = await db.DatasetVersions.SingleAsync(v => v.Dataset!.Name == "loans");
            db.EvaluationRuns.Add(new ControlPlane.Domain.Evaluations.EvaluationRun
            {
                Id = Guid.CreateVersion7(), ModelVersionId = version.Id, DatasetVersionId = data.Id, LabelColumn = "label", Task = ControlPlane.Domain.Evaluations.EvaluationTask.Binary,
                Status = ControlPlane.Domain.Evaluations.EvaluationStatus.Succeeded, Progress = 1, RequestedBy = "dana", RequestedAtUtc = DateTime.UtcNow, ConcurrencyStamp = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }
        var newcomer = new Actor("new-id", "nina", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
        ShowAs(newcomer, ControlPlaneRoles.DataScientist);

        var page = Ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=my-models]")));
        var models = page.Find("[data-testid=my-models]");
        Assert.Equal("Your team's recent models", models.QuerySelector("h6")!.TextContent);
        Assert.Contains("You own no models yet", models.TextContent);
        Assert.Equal("/models/scorer", models.QuerySelector("a")!.GetAttribute("href"));
        var evaluations = page.Find("[data-testid=latest-evaluations]");
        Assert.Equal("Your team's recent evaluations", evaluations.QuerySelector("h6")!.TextContent);
        Assert.Contains("scorer v1 on loans v1", evaluations.TextContent);
        Assert.DoesNotContain("No evaluations yet", evaluations.TextContent);
    }

    [Fact]
    public async Task One_monitor_is_a_figure_not_a_donut_and_a_jobs_activity_names_what_ran()
    {
        await SeedAsync(drifted: true);
        var run = Guid.CreateVersion7();
        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var monitor = await db.DriftMonitors.SingleAsync();
            db.DriftRuns.Add(new DriftRun
            {
                Id = run, MonitorId = monitor.Id, ReferenceDatasetVersionId = monitor.ReferenceDatasetVersionId, Trigger = "schedule", Status = DriftRunStatus.Succeeded,
                RequestedBy = "system", RequestedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await Host.Services.GetRequiredService<ControlPlane.Domain.Audit.AuditLog>().RecordAsync("driftRun.succeeded", "driftRun", run.ToString(),
            origin: new ControlPlane.Domain.Audit.AuditOrigin(null, "job:8", "8", null));
        ShowAs(Scientist, ControlPlaneRoles.DataScientist);

        var page = Ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=drift-overview]")));
        Assert.Empty(page.FindAll("[data-testid=drift-overview] div[style^='height:']")); // DonutChart's frame
        Assert.Equal("1 monitor drifted", page.Find("[data-testid=drift-figures] li").TextContent.Trim());
        var activity = page.FindAll("[data-testid=activity]").Select(a => a.TextContent).ToList();
        Assert.Contains(activity, a => a.Contains("Drift check loans-watch finished"));
        Assert.DoesNotContain(activity, a => a.Contains("job:"));
    }
}
