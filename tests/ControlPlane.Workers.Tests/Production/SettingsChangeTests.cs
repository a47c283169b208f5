using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// A window is judged by the monitor's settings as well as its rows: editing what the windows hold (a threshold here)
/// queues a recompute through the real service, and the job recomputes the stored windows; other edits do neither.
/// </summary>
public sealed class SettingsChangeTests
{
    [Fact]
    public async Task Tightening_the_latency_objective_recomputes_a_healthy_window_as_breached()
    {
        await using var p = await ProductionHost.StartAsync();
        await VersionOneAsync(p);
        var monitors = p.Host.As<ProductionMonitors>(Scientist);
        var created = await monitors.CreateAsync(Model, new ProductionMonitorRequest("live", ProductionTarget.Versions, "1",
            Settings: new ProductionMonitorSettings { LatencyP95Ms = 40 }));
        // 40 predictions at 1..40 ms: p95 by linear interpolation is x[37] + 0.05·(x[38] − x[37]) = 38.05 ms (by hand).
        await p.PredictionsAsync(Seven.AddMinutes(61),
            Enumerable.Range(1, 40).Select(i => new PredictionRow($"p{i}", Seven.AddSeconds(i), LatencyMs: i)).ToArray());

        Assert.Equal(2, await p.RunAsync(created.Id)); // 07:00, and 08:00 with no data
        var before = (await p.WindowsAsync(created.Id))[0];
        Assert.Equal((WindowHealth.Healthy, ""), (before.Health, before.Breaches));
        Assert.Equal(0, await p.RunAsync(created.Id));

        // A change the windows do not depend on queues nothing and recomputes nothing.
        var described = await monitors.UpdateAsync(Model, "live", Request(created) with { Description = "the serving fleet" });
        Assert.Empty(p.Jobs.ProductionWindows);
        Assert.Equal(0, await p.RunAsync(created.Id));

        var tightened = await monitors.UpdateAsync(Model, "live", Request(described) with { Settings = described.Settings with { LatencyP95Ms = 30 } });
        Assert.Equal([created.Id], p.Jobs.ProductionWindows);

        Assert.Equal(2, await p.RunAsync(created.Id));
        var after = (await p.WindowsAsync(created.Id))[0];
        Assert.Equal(before.Id, after.Id); // replaced in place
        Assert.Equal((WindowHealth.Breached, "slo"), (after.Health, after.Breaches));
        Assert.NotEqual(before.InputsStamp, after.InputsStamp);
        var objective = Assert.Single(ProductionWindowResult.FromJson(after.Results).Objectives, o => o.Name == "latencyP95");
        Assert.Equal((30.0, false), (objective.Bound, objective.Met));
        Assert.Equal(38.05, objective.Actual!.Value, 9);
        Assert.Equal(0, await p.RunAsync(created.Id));
        Assert.Equal(30, tightened.Settings.LatencyP95Ms);
    }

    [Fact]
    public async Task A_disabled_monitors_settings_change_queues_nothing()
    {
        await using var p = await ProductionHost.StartAsync();
        await VersionOneAsync(p);
        var monitors = p.Host.As<ProductionMonitors>(Scientist);
        var created = await monitors.CreateAsync(Model, new ProductionMonitorRequest("live", ProductionTarget.Versions, "1", Enabled: false));

        await monitors.UpdateAsync(Model, "live", Request(created) with { Settings = new ProductionMonitorSettings { DriftAlpha = 0.01 } });

        Assert.Empty(p.Jobs.ProductionWindows);
    }

    private static ProductionMonitorRequest Request(ProductionMonitorView m) =>
        new(m.Name, m.Target, m.TargetValue, m.WindowSize, m.Reference, m.Settings, m.Description, m.Enabled, m.RetrainSpecId, m.AlertCooldownMinutes, m.ConcurrencyStamp);

    private static async Task VersionOneAsync(ProductionHost p)
    {
        await using var db = await p.Db();
        db.Versions.Add(new ModelVersion
        {
            Id = Guid.CreateVersion7(), ModelId = p.ModelId, Number = 1, Flavor = ModelFlavor.Onnx, ArtifactSha256 = new string('a', 64), ArtifactFileName = "m.onnx",
            Signature = "{}", CreatedBy = Scientist.Name, CreatedAtUtc = p.Host.Time.GetUtcNow().UtcDateTime, ConcurrencyStamp = Guid.NewGuid(),
        });
        using (AuditAmbient.BeginAction("test.versions", "model", p.ModelId.ToString()))
            await db.SaveChangesAsync();
    }
}
