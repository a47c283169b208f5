using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>A policy may require the latest N production windows of the model's monitors to be free of breaches.</summary>
[Collection(WebCollection.Name)]
public sealed class ProductionGateTests(ControlPlaneWebFactory app)
{
    private static readonly PolicyRules Rules = new() { RequireNoDrift = false, RequireNoFailedJobs = false };

    [Fact]
    public async Task The_gate_reads_the_latest_windows_of_enabled_monitors_and_a_new_breach_changes_the_evidence()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.ModelWithVersionsAsync();
        var monitor = await MonitorAsync(model);
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await WindowAsync(monitor, day, "drift,slo");
        await WindowAsync(monitor, day.AddDays(1), "");
        await WindowAsync(monitor, day.AddDays(2), "");

        await app.SetPolicyAsync(model, Rules with { HealthyProductionWindows = 3 });
        var three = await scientist.RequestedAsync(model, 1);
        var failing = Assert.Single(three.Gates, g => g.Key == "production");
        Assert.False(failing.Passed);
        Assert.Contains("1 of its latest 3 windows breached", failing.Detail);
        Assert.Contains("2026-11-01 00:00:00Z drift,slo", failing.Detail);
        (await scientist.PostAsJsonAsync($"/api/v1/promotions/{three.Id}/withdraw", new ReasonInput("policy changes"), RegistryClient.Json)).EnsureSuccessStatusCode();

        // Two windows back, the breach is out of reach.
        await app.SetPolicyAsync(model, Rules with { HealthyProductionWindows = 2 });
        var two = await scientist.RequestedAsync(model, 1);
        var passing = Assert.Single(two.Gates, g => g.Key == "production");
        Assert.True(passing.Passed, passing.Detail);
        Assert.Equal(2, Assert.Single(two.Evidence.Production!).Windows);

        // A policy without the gate has no production gate and no production evidence.
        (await scientist.PostAsJsonAsync($"/api/v1/promotions/{two.Id}/withdraw", new ReasonInput("policy changes"), RegistryClient.Json)).EnsureSuccessStatusCode();
        await app.SetPolicyAsync(model, Rules);
        var none = await scientist.RequestedAsync(model, 1);
        Assert.DoesNotContain(none.Gates, g => g.Key == "production");
        Assert.Null(none.Evidence.Production);
    }

    [Fact]
    public async Task A_gate_outside_its_range_is_refused_with_the_field_named()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.ModelWithVersionsAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.SetPolicyAsync(model, Rules with { HealthyProductionWindows = 0 }));
        Assert.Contains("healthyProductionWindows", refused.Message);
    }

    [Fact]
    public async Task A_breach_written_between_the_request_and_the_signature_invalidates_the_request_naming_the_window()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var monitor = await MonitorAsync(model);
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await WindowAsync(monitor, day, "");
        await WindowAsync(monitor, day.AddDays(1), "");
        await app.SetPolicyAsync(model, Rules with { HealthyProductionWindows = 2 });
        var request = await scientist.RequestedAsync(model, 1);
        Assert.True(Assert.Single(request.Gates, g => g.Key == "production").Passed);

        // The windows job stores a breached window after the request was made and before anyone signed.
        await WindowAsync(monitor, day.AddDays(2), "performance");

        var refused = await reviewer.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var closed = await reviewer.PromotionAsync(request.Id);
        Assert.Equal(PromotionStatus.Invalidated, closed.Status);
        Assert.Contains("No breach in the latest 2 production windows now fails", closed.StatusReason);
        Assert.Contains("live: 1 of its latest 2 windows breached (2026-11-03 00:00:00Z performance)", closed.StatusReason);
        Assert.Empty(closed.Signatures);
        Assert.Equal(LifecycleStage.None, (await scientist.VersionAsync(model, 1)).Stage);
    }

    [Fact]
    public async Task A_breach_recomputed_healthy_before_the_signature_re_pins_the_evidence_and_the_signature_binds_it()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var monitor = await MonitorAsync(model);
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await WindowAsync(monitor, day, "");
        var breached = await WindowAsync(monitor, day.AddDays(1), "slo");
        await app.SetPolicyAsync(model, Rules with { HealthyProductionWindows = 2 });
        var request = await scientist.RequestedAsync(model, 1);
        Assert.False(Assert.Single(request.Gates, g => g.Key == "production").Passed);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(request.Id)).StatusCode);

        // Late rows arrive and the windows job recomputes the breached window: it is healthy now.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
            await db.ProductionWindows.Where(w => w.Id == breached).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Health, WindowHealth.Healthy).SetProperty(w => w.Breaches, "").SetProperty(w => w.InputsStamp, "y"));

        var signed = await reviewer.SignAsync(request.Id);
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        var done = (await signed.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;
        Assert.Equal(PromotionStatus.Approved, done.Status);
        Assert.True(Assert.Single(done.Gates, g => g.Key == "production").Passed);
        Assert.Empty(Assert.Single(done.Evidence.Production!).Breached);
        Assert.NotEqual(request.EvidenceHash, done.EvidenceHash);
        Assert.Equal(done.EvidenceHash, Assert.Single(done.Signatures).EvidenceHash);
        Assert.Equal(PromotionEvidence.HashOf(done.Evidence.ToJson()), done.EvidenceHash);
    }

    private async Task<Guid> MonitorAsync(string model)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var modelId = await db.Models.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
        var monitor = new ProductionMonitor
        {
            Id = Guid.NewGuid(), ModelId = modelId, Name = "live", NormalizedName = "LIVE", Target = ProductionTarget.Versions, TargetValue = "1",
            Settings = new ProductionMonitorSettings().ToJson(), Owner = "someone", ConcurrencyStamp = Guid.NewGuid(),
        };
        db.ProductionMonitors.Add(monitor);
        await db.SaveChangesAsync();
        return monitor.Id;
    }

    private async Task<Guid> WindowAsync(Guid monitor, DateTime start, string breaches)
    {
        var id = Guid.NewGuid();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        db.ProductionWindows.Add(new ProductionWindow
        {
            Id = id, MonitorId = monitor, StartUtc = start, EndUtc = start.AddDays(1), ComputedAtUtc = start.AddDays(1), Predictions = 100,
            Health = breaches.Length == 0 ? WindowHealth.Healthy : WindowHealth.Breached, Breaches = breaches, Results = "{}", InputsStamp = "x",
        });
        await db.SaveChangesAsync();
        return id;
    }
}
