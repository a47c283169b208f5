using Bunit;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Components.Pages.Admin;
using ControlPlane.Web.Components.Pages.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// The production gate in the UI: the policy editor's field over the real policy service, and the production windows a
/// request pinned, shown on its page beside the other evidence.
/// </summary>
public sealed class ProductionGateEditorTests : GovernanceComponentContext
{
    [Fact]
    public async Task The_editor_saves_the_production_gate_and_clearing_the_field_removes_it()
    {
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#policy-production-windows").Change("24");
        page.Find("#policy-reason").Change("a day of healthy traffic first");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=policy-history] [data-version='1']")));
        var saved = await Host.As<PromotionPolicies>(Admin).GetAsync(null);
        Assert.Equal((1, 24), (saved.Version, saved.Rules.HealthyProductionWindows));
        // The editor shows the saved value when it opens again on the new version.
        page.WaitForAssertion(() => Assert.Equal("24", page.Find("#policy-production-windows").GetAttribute("value")));

        page.Find("#policy-production-windows").Change("");
        page.Find("#policy-reason").Change("no production gate");
        page.Find("#save-policy").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=policy-history] [data-version='2']")));
        var cleared = await Host.As<PromotionPolicies>(Admin).GetAsync(null);
        Assert.Equal(2, cleared.Version);
        Assert.Null(cleared.Rules.HealthyProductionWindows);
    }

    [Fact]
    public async Task Saving_from_the_editor_keeps_the_rules_the_form_does_not_show()
    {
        await Host.As<PromotionPolicies>(Admin).SaveAsync(null, new PolicySaveRequest(new PolicyRules
        {
            EvaluationDataset = "holdout", EvaluationDatasetVersion = 3, MinimumEvaluationRows = 5_000, RejectionCooldownHours = 12,
        }, "set through the API"));
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#policy-production-windows").Change("6");
        page.Find("#policy-reason").Change("add the production gate");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=policy-history] [data-version='2']")));
        var saved = (await Host.As<PromotionPolicies>(Admin).GetAsync(null)).Rules;
        Assert.Equal((6, 3, 5_000L, 12), (saved.HealthyProductionWindows, saved.EvaluationDatasetVersion, saved.MinimumEvaluationRows, saved.RejectionCooldownHours));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("745")] // one more than 31 days of hourly windows
    public async Task An_out_of_range_window_count_is_shown_at_the_field_and_nothing_is_saved(string value)
    {
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#policy-production-windows").Change(value);
        page.Find("#policy-reason").Change("try it");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.Contains("The production gate reads the latest 1 to 744 windows", page.Find("[data-testid=policy-error]").TextContent));
        Assert.Contains("The production gate reads the latest 1 to 744 windows", page.Find("#policy-production-windows").ParentElement!.ParentElement!.ParentElement!.TextContent);
        Assert.Equal(value, page.Find("#policy-production-windows").GetAttribute("value")); // not clamped into range behind the user's back
        Assert.Empty(await Host.As<PromotionPolicies>(Admin).HistoryAsync(null));
    }

    [Fact]
    public async Task The_request_page_shows_the_production_windows_the_request_pinned_with_the_breached_ones()
    {
        await ModelAsync("served");
        await Host.As<PromotionPolicies>(Admin).SaveAsync("served", new PolicySaveRequest(
            new PolicyRules { RequireNoDrift = false, RequireNoFailedJobs = false, HealthyProductionWindows = 2 }, "watch production"));
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var live = await MonitorAsync("served", "live", (day, ""), (day.AddDays(1), "slo,drift"));
        await MonitorAsync("served", "quiet");
        var request = await RequestAsync("served", 1);
        SignInAs(Reviewer);

        var page = Ctx.Render<PromotionPage>(p => p.Add(x => x.Id, request.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=evidence-production-row]").Count));
        var row = page.Find("[data-testid=evidence-production-row][data-monitor=live]");
        Assert.Contains("latest 2", row.TextContent);
        Assert.Equal("/models/served/production/live", row.QuerySelector("a")!.GetAttribute("href"));
        var breached = Assert.Single(row.QuerySelectorAll("[data-testid=evidence-breached-window]"));
        Assert.Contains("2026-11-02 00:00", breached.TextContent);
        Assert.Contains("slo,drift", breached.TextContent);
        Assert.Contains("none computed yet", page.Find("[data-testid=evidence-production-row][data-monitor=quiet]").TextContent);
        Assert.Equal("false", page.Find("[data-testid=gate][data-gate=production]").GetAttribute("data-passed"));
        Assert.NotEqual(Guid.Empty, live);
    }

    [Fact]
    public async Task Without_a_production_gate_the_page_has_no_production_section()
    {
        await ModelAsync("plain");
        await MonitorAsync("plain", "live", (new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), "slo"));
        var request = await RequestAsync("plain", 1);
        SignInAs(Reviewer);

        var page = Ctx.Render<PromotionPage>(p => p.Add(x => x.Id, request.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=evidence-card]")));
        Assert.DoesNotContain("Production windows", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=evidence-production-row]"));
    }

    /// <summary>An enabled monitor on version 1 with windows stored as the windows job stores them (breaches "" = healthy).</summary>
    private async Task<Guid> MonitorAsync(string model, string name, params (DateTime Start, string Breaches)[] windows)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var modelId = await db.Models.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
        var monitor = new ProductionMonitor
        {
            Id = Guid.NewGuid(), ModelId = modelId, Name = name, NormalizedName = name.ToUpperInvariant(), Target = ProductionTarget.Versions, TargetValue = "1",
            Settings = new ProductionMonitorSettings().ToJson(), Owner = "dana", ConcurrencyStamp = Guid.NewGuid(),
        };
        db.ProductionMonitors.Add(monitor);
        foreach (var (start, breaches) in windows)
            db.ProductionWindows.Add(new ProductionWindow
            {
                Id = Guid.NewGuid(), MonitorId = monitor.Id, StartUtc = start, EndUtc = start.AddDays(1), ComputedAtUtc = start.AddDays(1), Predictions = 100,
                Health = breaches.Length == 0 ? WindowHealth.Healthy : WindowHealth.Breached, Breaches = breaches, Results = "{}", InputsStamp = "x",
            });
        await db.SaveChangesAsync();
        return monitor.Id;
    }
}
