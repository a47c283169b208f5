using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
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

    private async Task WindowAsync(Guid monitor, DateTime start, string breaches)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        db.ProductionWindows.Add(new ProductionWindow
        {
            Id = Guid.NewGuid(), MonitorId = monitor, StartUtc = start, EndUtc = start.AddDays(1), ComputedAtUtc = start.AddDays(1), Predictions = 100,
            Health = breaches.Length == 0 ? WindowHealth.Healthy : WindowHealth.Breached, Breaches = breaches, Results = "{}", InputsStamp = "x",
        });
        await db.SaveChangesAsync();
    }
}
