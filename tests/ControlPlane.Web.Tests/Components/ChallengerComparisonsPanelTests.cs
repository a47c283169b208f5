using Bunit;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Web.Components.Pages.Production;
using ControlPlane.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor.Traces;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The comparison section of the Production tab over the real service, with a comparison stored as the job stores it.</summary>
public sealed class ChallengerComparisonsPanelTests : RegistryComponentContext
{
    protected override async Task SeedAsync()
    {
        await Registry.CreateModelAsync("scorer", null, null);
        Ctx.Services.AddSingleton(Host.As<ChallengerComparisons>(Scientist));
        Ctx.Services.AddSingleton<TimeProvider>(Host.Time);
        Ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
    }

    [Fact]
    public async Task The_latest_succeeded_comparison_shows_its_tests_the_interval_chart_and_latency_side_by_side()
    {
        PlotlyTraces.Hold(Ctx);
        var champion = new ComparisonSide(1, 200, 150, 0.75, new Dictionary<string, double> { ["accuracy"] = 0.8 }, new ComparisonLatency(200, 8, 20, 30));
        var result = new ComparisonResult
        {
            Mode = "shadow", Champion = champion, Pairs = 200,
            Challenger = champion with { Version = 2, Latency = new ComparisonLatency(200, 9, 25, 41) },
            Tests = [new MetricComparison("accuracy", "McNemar (chi-square, continuity-corrected)", true, 150, 150, 0.8, 0.76, -0.04, -0.07, -0.01, 0.01, 0.005),
                     new MetricComparison("rocAuc", "DeLong (paired)", true, 150, 150, 0.85, 0.87, 0.02, -0.01, 0.05, 0.2, 0.9)],
            Agreement = new Agreement(200, 0.9, 0.75, 0.05),
        };
        await StoreAsync(result);

        var panel = Ctx.Render<ChallengerComparisonsPanel>(p => p.Add(c => c.Model, "scorer"));

        Assert.Single(panel.FindAll("[data-testid=comparison-row]"));
        Assert.Contains("same label 90.0%", panel.Find("[data-testid=comparison-summary]").TextContent);
        Assert.Equal(2, panel.FindAll("[data-testid=comparison-test]").Count);
        var (intervals, _) = PlotlyTraces.Of(panel.FindComponent<DifferenceChart>());
        var accuracy = (Scatter)intervals[0];
        Assert.Equal(new object[] { -0.07, -0.04, -0.01 }, accuracy.X);
        Assert.Equal("#c62828", accuracy.Line.Color); // worse: red
        Assert.Equal("#2e7d32", ((Scatter)intervals[1]).Line.Color); // better: green
        var (latency, _) = PlotlyTraces.Of(panel.FindComponent<GroupedBarChart>());
        Assert.Equal(new object[] { 8.0, 20.0, 30.0 }, ((Bar)latency[0]).Y);
        Assert.Equal(new object[] { 9.0, 25.0, 41.0 }, ((Bar)latency[1]).Y);
    }

    private async Task StoreAsync(ComparisonResult result)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var modelId = await db.Models.Where(m => m.Name == "scorer").Select(m => m.Id).SingleAsync();
        var at = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        db.ChallengerComparisons.Add(new ChallengerComparison
        {
            Id = Guid.CreateVersion7(), ModelId = modelId, ChallengerRef = "alias:challenger", ChallengerVersion = 2, ChampionVersion = 1,
            FromUtc = at.AddHours(-24), ToUtc = at, Status = ComparisonStatus.Succeeded, Mode = "shadow", Labelled = 150, Results = result.ToJson(),
            RequestedBy = "dana", RequestedAtUtc = at, CompletedAtUtc = at,
        });
        using (AuditAmbient.BeginAction("comparison.requested", "comparison", "test"))
            await db.SaveChangesAsync();
    }
}
