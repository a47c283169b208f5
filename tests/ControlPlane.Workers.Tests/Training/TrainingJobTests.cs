using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation.MlNet;
using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>The training job on the real domain services and database, called directly (no job server).</summary>
public sealed class TrainingJobTests : IAsyncLifetime
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private readonly TempDirectory _exports = new("cp-job-exports");
    private readonly RecordingHook _hook = new();
    private readonly TrainingLimitOptions _limits = new();
    private DomainHost _host = null!;
    private TrainingSpecView _spec = null!;

    private sealed class RecordingHook : ITrainingPromotionHook
    {
        public List<TrainingCandidate> Candidates { get; } = [];

        public Task OpenPromotionRequestAsync(TrainingCandidate candidate, CancellationToken ct)
        {
            Candidates.Add(candidate);
            return Task.CompletedTask;
        }

        public Task EvaluationFinishedAsync(Guid evaluationId, CancellationToken ct) => Task.CompletedTask;
    }

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(services: s => s.AddSingleton<IJobScheduler>(new RecordingScheduler())
            .AddSingleton<IArtifactInspector, Inspection.ArtifactInspector>().AddSingleton(new OnnxExportCache(_exports.Path))
            .AddSingleton<TrainingEvaluations>().AddSingleton<TrainingExecutor>().AddSingleton<ITrainingPromotionHook>(_hook)
            .AddSingleton<IsolatedTrainer>().AddSingleton(Options.Create(_limits)));
        await _host.As<ModelRegistry>(Scientist).CreateModelAsync("churn", null, null);
        var catalog = _host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("customers", null, null);
        using var data = new TrainingData();
        await using (var file = File.OpenRead(data.Churn(300, seed: 81)))
            await catalog.AddVersionAsync("customers", file, "churn.csv", null, null);
        _spec = await _host.As<TrainingService>(Scientist).CreateSpecAsync(new TrainingSpecRequest("churn", "nightly", TrainingTask.Binary, "churned",
            [new("tenure", FeatureTreatment.Numerical), new("contract", FeatureTreatment.Categorical)], TrainerCatalog.FastTree, new DatasetSelection("customers"),
            new Dictionary<string, double> { ["numberOfTrees"] = 10 }));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _exports.Dispose();
    }

    private TrainingJob Job() => ActivatorUtilities.CreateInstance<TrainingJob>(_host.Services);

    private async Task<int> VersionCountAsync()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.Versions.CountAsync();
    }

    [Fact]
    public async Task A_new_phase_is_audited_and_progress_ticks_are_not()
    {
        var queued = await _host.As<TrainingService>(Scientist).StartRunAsync(_spec.Id);
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        await db.TrainingRuns.Where(r => r.Id == queued.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingRunStatus.Running));
        var before = await db.AuditEvents.MaxAsync(e => e.Sequence);

        await Job().SaveProgressAsync(queued.Id, new TrainingProgress("loading", 0.1));
        await Job().SaveProgressAsync(queued.Id, new TrainingProgress("loading", 0.2));
        await Job().SaveProgressAsync(queued.Id, new TrainingProgress("training", 0.5));

        var events = await db.AuditEvents.Where(e => e.Sequence > before).OrderBy(e => e.Sequence).ToListAsync();
        var phases = events.SelectMany(e => ControlPlane.Domain.Audit.AuditChange.FromJson(e.Changes)).Where(c => c.Field == "Phase").Select(c => c.New).ToList();
        Assert.Equal(["loading", "training"], phases);
        Assert.All(events, e => Assert.Equal(("trainingRun", queued.Id.ToString()), (e.EntityType, e.EntityId)));
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == queued.Id);
        Assert.Equal((0.5, "training"), (run.Progress, run.Phase));
    }

    [Fact]
    public async Task A_retry_after_a_crash_reuses_the_version_it_registered_and_the_promotion_hook_hears_once_per_success()
    {
        var training = _host.As<TrainingService>(Scientist);
        var queued = await training.StartRunAsync(_spec.Id);

        await Job().RunAsync(queued.Id, CancellationToken.None);
        var done = await training.GetRunAsync(queued.Id);
        // As if the worker died after registering but before saving the outcome: Hangfire runs the job again.
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
            await db.TrainingRuns.Where(r => r.Id == queued.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingRunStatus.Running));
        await Job().RunAsync(queued.Id, CancellationToken.None);
        var retried = await training.GetRunAsync(queued.Id);
        await Job().RunAsync(queued.Id, CancellationToken.None); // finished: nothing happens

        Assert.True(done.Status == TrainingRunStatus.Succeeded, done.Error);
        Assert.Equal(("done", 1.0, 1), (done.Phase, done.Progress, done.ModelVersion));
        Assert.Equal((TrainingRunStatus.Succeeded, 1), (retried.Status, retried.ModelVersion));
        Assert.Equal(done.Metrics, retried.Metrics);
        Assert.Equal(1, await VersionCountAsync());
        Assert.Equal(2, _hook.Candidates.Count);
        Assert.All(_hook.Candidates, c => Assert.Equal(("churn", 1, queued.Id), (c.Model, c.Version, c.RunId)));
        var version = await _host.As<ModelRegistry>(Scientist).GetVersionAsync("churn", 1);
        Assert.Equal((_spec.Hash, "10", Scientist.Name), (version.Parameters["trainingSpecHash"], version.Parameters["numberOfTrees"], version.CreatedBy));
    }

    [Fact]
    public async Task A_run_cancelled_while_queued_or_before_it_starts_never_trains()
    {
        var training = _host.As<TrainingService>(Scientist);
        var queued = await training.StartRunAsync(_spec.Id);
        var cancelled = await training.CancelRunAsync(queued.Id);
        var second = await training.StartRunAsync(_spec.Id);
        // Cancel requested after a worker picked the run up but before it trained: the job sees the flag first.
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
            await db.TrainingRuns.Where(r => r.Id == second.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, TrainingRunStatus.Running).SetProperty(r => r.CancelRequested, true));

        await Job().RunAsync(queued.Id, CancellationToken.None);
        await Job().RunAsync(second.Id, CancellationToken.None);

        Assert.Equal(TrainingRunStatus.Cancelled, cancelled.Status);
        Assert.Equal(TrainingRunStatus.Cancelled, (await training.GetRunAsync(queued.Id)).Status);
        Assert.Equal(TrainingRunStatus.Cancelled, (await training.GetRunAsync(second.Id)).Status);
        Assert.Equal(0, await VersionCountAsync());
        Assert.Empty(_hook.Candidates);
        await Assert.ThrowsAsync<ConflictException>(() => training.CancelRunAsync(queued.Id));
    }

    /// <summary>A fit that takes minutes: LightGbm at its largest trees on 20,000 rows.</summary>
    private async Task<TrainingSpecView> HeavySpecAsync()
    {
        var catalog = _host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("many-customers", null, null);
        using var data = new TrainingData();
        await using (var file = File.OpenRead(data.Churn(20_000, seed: 82)))
            await catalog.AddVersionAsync("many-customers", file, "churn.csv", null, null);
        return await _host.As<TrainingService>(Scientist).CreateSpecAsync(new TrainingSpecRequest("churn", "heavy", TrainingTask.Binary, "churned",
            [new("tenure", FeatureTreatment.Numerical), new("monthlyCharges", FeatureTreatment.Numerical), new("contract", FeatureTreatment.Categorical)],
            TrainerCatalog.LightGbm, new DatasetSelection("many-customers"),
            new Dictionary<string, double> { ["numberOfIterations"] = 10_000, ["numberOfLeaves"] = 16_384, ["minimumExampleCountPerLeaf"] = 1, ["learningRate"] = 0.001 }));
    }

    /// <summary>Processes whose command line names the run's fit folder: the fit child, while it lives.</summary>
    private static int FitProcesses(Guid runId) => Directory.EnumerateDirectories("/proc")
        .Select(d => Path.Combine(d, "cmdline"))
        .Count(f => { try { return File.ReadAllText(f).Contains($"controlplane-fit-{runId:N}", StringComparison.Ordinal); } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } });

    [Fact]
    public async Task A_cancel_kills_a_running_fit_within_seconds_and_the_run_ends_Cancelled()
    {
        var spec = await HeavySpecAsync();
        var training = _host.As<TrainingService>(Scientist);
        var run = await training.StartRunAsync(spec.Id);
        var job = Job().RunAsync(run.Id, CancellationToken.None);
        await Eventually.GetAsync(async () => (await training.GetRunAsync(run.Id)).Phase == "fitting" ? "" : null, TimeSpan.FromSeconds(60), "the fit to start");
        Assert.Equal(1, FitProcesses(run.Id));

        await training.CancelRunAsync(run.Id);
        // The job looks for the request every second of its (test) clock.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!job.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            _host.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(job, Task.Delay(100));
        }

        Assert.True(job.IsCompleted, "the fit was still running 30 s after the cancel"); // the fit alone takes minutes
        await job;
        var ended = await training.GetRunAsync(run.Id);
        Assert.Equal((TrainingRunStatus.Cancelled, "Cancelled on request."), (ended.Status, ended.Error));
        Assert.Equal(0, FitProcesses(run.Id));
        Assert.Equal(0, await VersionCountAsync());
    }

    [Fact]
    public async Task A_fit_past_the_time_limit_is_killed_and_the_run_ends_TimedOut_without_a_retry()
    {
        _limits.TimeLimit = TimeSpan.FromSeconds(3);
        var spec = await HeavySpecAsync();
        var training = _host.As<TrainingService>(Scientist);
        var run = await training.StartRunAsync(spec.Id);

        var job = Job().RunAsync(run.Id, CancellationToken.None);
        Assert.Same(job, await Task.WhenAny(job, Task.Delay(TimeSpan.FromSeconds(30))));
        await job; // no exception: Hangfire would retry

        var ended = await training.GetRunAsync(run.Id);
        Assert.Equal(TrainingRunStatus.TimedOut, ended.Status);
        Assert.Equal("The fit was stopped after 3 s, the time limit (ControlPlane:Training:TimeLimit).", ended.Error);
        Assert.Equal(0, FitProcesses(run.Id));
        // The trail says it was the limit, not a failure of the data or the spec.
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var ending = await db.AuditEvents.Where(e => e.EntityType == "trainingRun" && e.EntityId == run.Id.ToString()).OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal("trainingRun.timed_out", ending.Action);
        Assert.Contains(ControlPlane.Domain.Audit.AuditChange.FromJson(ending.Changes), c => c.Field == "Status" && c.New == "TimedOut");
    }

    [Fact]
    public async Task A_fit_past_the_memory_limit_is_killed_and_the_run_fails_naming_the_limit()
    {
        _limits.MaxMemoryMegabytes = 40; // below what the runtime and ML.NET take before the first row
        // A fit that lasts: a small one can finish between two 200 ms samples (CI saw it succeed).
        var spec = await HeavySpecAsync();
        var training = _host.As<TrainingService>(Scientist);
        var run = await training.StartRunAsync(spec.Id);

        await Job().RunAsync(run.Id, CancellationToken.None);

        var ended = await training.GetRunAsync(run.Id);
        Assert.Equal(TrainingRunStatus.Failed, ended.Status);
        Assert.Equal("The fit was stopped: it needed more than 40 MB of memory, the limit (ControlPlane:Training:MaxMemoryMegabytes).", ended.Error);
        Assert.Equal(0, await VersionCountAsync());
    }
}
