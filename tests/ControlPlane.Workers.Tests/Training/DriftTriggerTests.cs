using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>Drift starts the linked specs' training at most once per cool-down; time moves by the fake clock, nobody sleeps.</summary>
public sealed class DriftTriggerTests
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    private readonly RecordingScheduler _jobs = new();

    /// <summary>A model "churn", a dataset "sales" (x, segment, y) and a monitor on it; the caller disposes the host.</summary>
    private async Task<(DomainHost Host, DriftMonitorView Monitor)> StartAsync()
    {
        var host = await DomainHost.StartAsync(services: s => s.AddSingleton<IJobScheduler>(_jobs).AddSingleton<IArtifactInspector, Inspection.ArtifactInspector>());
        await host.As<ModelRegistry>(Scientist).CreateModelAsync("churn", null, null);
        var catalog = host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("sales", null, null);
        await using (var file = new MemoryStream(Encoding.UTF8.GetBytes("x,segment,y\n1,a,0\n2,b,1\n3,a,0\n4,b,1\n")))
            await catalog.AddVersionAsync("sales", file, "sales.csv", null, null);
        return (host, await host.As<DriftMonitors>(Scientist).CreateAsync(new DriftMonitorRequest("sales-drift", new DatasetRef("sales", 1), CurrentDataset: "sales")));
    }

    private static TrainingSpecRequest Spec(string name, Guid? drift, int cooldown = 60, bool enabled = true) => new("churn", name, TrainingTask.Binary, "y",
        [new TrainingFeature("x", FeatureTreatment.Numerical)], TrainerCatalog.LightGbm, new DatasetSelection("sales"),
        DriftMonitorId: drift, DriftCooldownMinutes: cooldown, Enabled: enabled);

    [Fact]
    public async Task Dataset_drift_starts_a_linked_spec_once_per_cooldown_and_leaves_other_specs_alone()
    {
        var (host, monitor) = await StartAsync();
        await using var _ = host;
        var training = host.As<TrainingService>(Scientist);
        var linked = await training.CreateSpecAsync(Spec("on-drift", monitor.Id));
        await training.CreateSpecAsync(Spec("disabled", monitor.Id, enabled: false));
        await training.CreateSpecAsync(Spec("unlinked", null));
        var system = host.As<TrainingService>(Actor.Anonymous); // the drift job has no user

        var first = await system.StartForDriftAsync(monitor.Id);
        var within = await system.StartForDriftAsync(monitor.Id);
        host.Time.Advance(TimeSpan.FromMinutes(59));
        var stillWithin = await system.StartForDriftAsync(monitor.Id);
        host.Time.Advance(TimeSpan.FromMinutes(1.5));
        var after = await system.StartForDriftAsync(monitor.Id);

        var run = Assert.Single(first);
        Assert.Equal((linked.Id, "drift", TrainingRunStatus.Queued, linked.Hash), (run.SpecId, run.Trigger, run.Status, run.SpecHash));
        Assert.Empty(within);
        Assert.Empty(stillWithin);
        Assert.Equal(linked.Id, Assert.Single(after).SpecId);
        Assert.Equal([run.Id, after[0].Id], _jobs.Trainings);
    }

    [Fact]
    public async Task Drift_found_by_runs_at_the_same_moment_starts_one_training_run()
    {
        var (host, monitor) = await StartAsync();
        await using var _ = host;
        var spec = await host.As<TrainingService>(Scientist).CreateSpecAsync(Spec("on-drift", monitor.Id));

        var started = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => host.As<TrainingService>(Actor.Anonymous).StartForDriftAsync(monitor.Id))));

        Assert.Equal(spec.Id, Assert.Single(started.SelectMany(s => s)).SpecId);
        Assert.Single(_jobs.Trainings);
        var runs = await host.As<TrainingService>(Scientist).ListRunsAsync(new PageRequest(PageSize: 50), spec.Id);
        Assert.Equal(1, runs.TotalCount);
    }

    [Fact]
    public async Task A_cancelled_run_does_not_hold_back_the_next_drift()
    {
        var (host, monitor) = await StartAsync();
        await using var _ = host;
        var training = host.As<TrainingService>(Scientist);
        await training.CreateSpecAsync(Spec("s", monitor.Id, cooldown: 600));

        var first = Assert.Single(await training.StartForDriftAsync(monitor.Id));
        var cancelled = await training.CancelRunAsync(first.Id);
        var second = await training.StartForDriftAsync(monitor.Id);

        Assert.Equal(TrainingRunStatus.Cancelled, cancelled.Status);
        Assert.Single(second);
    }
}
