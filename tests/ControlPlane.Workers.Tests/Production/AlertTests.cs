using System.Globalization;
using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Training;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>Objectives, breaches, alerts with the monitor's cool-down, and retraining on drift for the monitor's owner.</summary>
public sealed class AlertTests
{
    private static readonly ProductionMonitorSettings Objectives = new()
    {
        LatencyP95Ms = 10, MaxErrorRate = 0.5, MinPredictions = 5, PerformanceMetric = "accuracy", PerformanceThreshold = 0.9, MinLabelled = 4,
    };

    /// <summary>Six slow predictions, four right of six labelled.</summary>
    private static async Task SlowAndWrongAsync(ProductionHost p, DateTime hour, bool labelled)
    {
        var scores = new[] { 0.9, 0.8, 0.6, 0.4, 0.3, 0.1 };
        var id = hour.ToString("HH", CultureInfo.InvariantCulture);
        await p.PredictionsAsync(hour.AddMinutes(61), scores.Select((s, i) => new PredictionRow($"{id}-{i}", hour.AddMinutes(i), Score: s, LatencyMs: 20)).ToArray());
        if (labelled)
            await p.ActualsAsync(hour.AddMinutes(62), scores.Select((_, i) => new ActualRow($"{id}-{i}", i % 2 == 0 ? "1" : "0", hour.AddMinutes(i))).ToArray());
    }

    private static async Task SubscribeAsync(ProductionHost p)
    {
        await using var db = await p.Db();
        db.WebhookSubscriptions.Add(new WebhookSubscription
        {
            Id = Guid.NewGuid(), Url = "https://hooks.example/production", Events = "production.slo,production.performance,production.drift",
            CreatedBy = "admin", CreatedAtUtc = p.Host.Time.GetUtcNow().UtcDateTime, ConcurrencyStamp = Guid.NewGuid(),
        });
        using (AuditAmbient.BeginAction("webhook.created", "webhook", "test"))
            await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Missed_objectives_are_breaches_that_alert_once_per_cooldown()
    {
        await using var p = await ProductionHost.StartAsync();
        await SubscribeAsync(p);
        var monitor = await p.MonitorAsync(Objectives, cooldownMinutes: 60);
        await SlowAndWrongAsync(p, Seven, labelled: true);
        await SlowAndWrongAsync(p, Eight, labelled: true);

        await p.RunAsync(monitor);
        var windows = await p.WindowsAsync(monitor);
        var seven = ProductionWindowResult.FromJson(windows[0].Results);

        Assert.All(windows, w => Assert.Equal((WindowHealth.Breached, "performance,slo"), (w.Health, w.Breaches)));
        Assert.Equal(
        [
            ("latencyP95", "slo", 10.0, (bool?)false), ("errorRate", "slo", 0.5, true), ("minPredictions", "slo", 5, true),
            ("dataDrift", "drift", 0.5, null), ("accuracy", "performance", 0.9, false),
        ], seven.Objectives.Select(o => (o.Name, o.Kind, o.Bound, o.Met)));
        Assert.Equal(4 / 6.0, seven.Objectives.Single(o => o.Name == "accuracy").Actual!.Value, 12);
        // Two windows breached alike within the cool-down: one alert of each kind.
        await using (var db = await p.Db())
        {
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.Kind == "production"));
            Assert.Equal(["production.performance", "production.slo"], (await db.WebhookDeliveries.Select(d => d.Event).ToListAsync()).Order());
        }
        Assert.Equal(2, p.Jobs.WebhookDeliveries.Count);

        // Two hours on: 09:00 is slow but unlabelled (performance not judged), 10:00 is silent (too few predictions).
        p.Host.Time.Advance(TimeSpan.FromHours(2));
        await SlowAndWrongAsync(p, Eight.AddHours(1), labelled: false);
        Assert.Equal(2, await p.RunAsync(monitor));
        windows = await p.WindowsAsync(monitor);
        var nine = ProductionWindowResult.FromJson(windows[2].Results);
        Assert.Null(nine.Objectives.Single(o => o.Name == "accuracy").Met);
        Assert.Equal(("slo", WindowHealth.Breached, 0L), (windows[3].Breaches, windows[3].Health, windows[3].Predictions));
        await using (var db = await p.Db())
            Assert.Equal(["production.performance", "production.slo", "production.slo"], (await db.WebhookDeliveries.Select(d => d.Event).ToListAsync()).Order());
    }

    [Fact]
    public async Task Drift_starts_the_linked_retraining_for_the_monitor_owner_and_never_a_spec_of_another_model()
    {
        await using var p = await ProductionHost.StartAsync();
        var csv = new StringBuilder("x,y\n");
        for (var i = 0; i < 100; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i % 50},{i % 2}\n");
        var reference = await p.ReferenceAsync("sales", csv.ToString());
        var training = p.Host.As<TrainingService>(Scientist);
        TrainingSpecRequest Spec(string model) => new(model, "retrain", TrainingTask.Binary, "y", [new TrainingFeature("x", FeatureTreatment.Numerical)],
            TrainerCatalog.LightGbm, new DatasetSelection("sales"));
        var spec = await training.CreateSpecAsync(Spec(Model));
        await p.Host.As<Domain.Registry.ModelRegistry>(Scientist).CreateModelAsync("other", null, null);
        var foreign = await training.CreateSpecAsync(Spec("other"));
        var linked = await p.MonitorAsync(new ProductionMonitorSettings(), reference, retrainSpec: spec.Id, name: "linked");
        var wrong = await p.MonitorAsync(new ProductionMonitorSettings(), reference, retrainSpec: foreign.Id, name: "wrong");
        await p.PredictionsAsync(Eight.AddMinutes(61), Enumerable.Range(0, 60).Select(i => new PredictionRow($"p{i}", Eight.AddSeconds(i),
            Features: new Dictionary<string, object?> { ["x"] = 100.0 + i })).ToArray());

        await p.RunAsync(linked);
        await p.RunAsync(wrong);

        Assert.Equal("drift", Assert.Single(await p.WindowsAsync(linked)).Breaches);
        Assert.Equal("drift", Assert.Single(await p.WindowsAsync(wrong)).Breaches);
        var run = Assert.Single((await training.ListRunsAsync(new Domain.Common.PageRequest(PageSize: 50))).Items);
        Assert.Equal((spec.Id, TrainingTriggers.Production, Scientist.Name), (run.SpecId, run.Trigger, run.RequestedBy));
        Assert.Single(p.Jobs.Trainings);
        await using var db = await p.Db();
        var actor = await TrainingRunActors.ForRunAsync(db, run.Id, CancellationToken.None);
        Assert.Equal(Scientist.Name, actor.Name);
    }
}
