using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Live;

/// <summary>The watcher's one query on a real SQLite file: each kind's fingerprint moves when its row does, and only then.</summary>
public sealed class DatabaseLiveStateSourceTests : IAsyncLifetime
{
    private DomainHost _host = null!;
    private readonly Guid _version = Guid.NewGuid(), _evaluation = Guid.NewGuid(), _monitor = Guid.NewGuid(), _run = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync();
        await using var db = await Contexts.CreateDbContextAsync();
        var now = _host.Time.GetUtcNow().UtcDateTime;
        var dataset = new Dataset { Id = Guid.NewGuid(), Name = "d", NormalizedName = "D", Owner = "dana", CreatedAtUtc = now, UpdatedAtUtc = now };
        var model = new RegisteredModel { Id = Guid.NewGuid(), Name = "m", NormalizedName = "M", Owner = "dana", CreatedAtUtc = now, UpdatedAtUtc = now };
        var modelVersion = new ModelVersion { Id = Guid.NewGuid(), ModelId = model.Id, Number = 1, ArtifactSha256 = new string('a', 64), ArtifactFileName = "m.onnx", Signature = "{}", CreatedBy = "dana", CreatedAtUtc = now };
        db.AddRange(dataset, model, modelVersion,
            new DatasetVersion { Id = _version, DatasetId = dataset.Id, Number = 1, FileSha256 = new string('b', 64), FileName = "d.csv", Schema = "[]", CreatedBy = "dana", CreatedAtUtc = now, ProfileStatus = ProfileStatus.Pending },
            new EvaluationRun { Id = _evaluation, ModelVersionId = modelVersion.Id, DatasetVersionId = _version, LabelColumn = "y", RequestedBy = "dana", RequestedAtUtc = now },
            new DriftMonitor { Id = _monitor, Name = "w", NormalizedName = "W", Settings = "{}", Owner = "dana", ReferenceDatasetVersionId = _version, CreatedAtUtc = now, UpdatedAtUtc = now },
            new DriftRun { Id = _run, MonitorId = _monitor, ReferenceDatasetVersionId = _version, Trigger = "manual", RequestedBy = "dana", RequestedAtUtc = now });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IDbContextFactory<ControlPlaneDbContext> Contexts => _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();

    private LiveSubject[] Subjects =>
    [
        LiveSubject.DatasetProfile(_version), LiveSubject.Evaluation(_evaluation), LiveSubject.DriftRun(_run),
        LiveSubject.DriftMonitor(_monitor), LiveSubject.Notifications, new("training", Guid.NewGuid()),
    ];

    private Task<IReadOnlyDictionary<LiveSubject, string>> ReadAsync() =>
        _host.Services.GetRequiredService<ILiveStateSource>().ReadAsync(Subjects, CancellationToken.None);

    [Fact]
    public async Task Every_known_kind_is_read_and_an_unknown_kind_has_no_rows()
    {
        var states = await ReadAsync();

        Assert.Equal(4, states.Count); // no notifications yet, and no reader for "training"
        Assert.DoesNotContain(Subjects[5], states.Keys);
    }

    [Fact]
    public async Task A_progress_update_changes_only_its_own_subject()
    {
        var before = await ReadAsync();
        await using (var db = await Contexts.CreateDbContextAsync())
            await db.EvaluationRuns.Where(e => e.Id == _evaluation).ExecuteUpdateAsync(s => s.SetProperty(e => e.Progress, 0.25));

        var after = await ReadAsync();

        Assert.NotEqual(before[LiveSubject.Evaluation(_evaluation)], after[LiveSubject.Evaluation(_evaluation)]);
        Assert.Equal(before[LiveSubject.DriftRun(_run)], after[LiveSubject.DriftRun(_run)]);
        Assert.Equal(before[LiveSubject.DatasetProfile(_version)], after[LiveSubject.DatasetProfile(_version)]);
    }

    [Fact]
    public async Task A_run_moving_or_finishing_changes_its_monitor_and_a_new_alert_changes_the_notifications()
    {
        var before = await ReadAsync();
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.DriftRuns.Where(r => r.Id == _run).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, DriftRunStatus.Running).SetProperty(r => r.Progress, 0.5));
            db.Notifications.Add(new Notification { Id = Guid.NewGuid(), Kind = "drift", Title = "t", Body = "b", CreatedAtUtc = _host.Time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }
        var running = await ReadAsync();
        await using (var db = await Contexts.CreateDbContextAsync())
            await db.DriftRuns.Where(r => r.Id == _run).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, DriftRunStatus.Succeeded));
        var done = await ReadAsync();

        Assert.NotEqual(before[LiveSubject.DriftMonitor(_monitor)], running[LiveSubject.DriftMonitor(_monitor)]);
        Assert.NotEqual(running[LiveSubject.DriftMonitor(_monitor)], done[LiveSubject.DriftMonitor(_monitor)]);
        Assert.NotEqual(running[LiveSubject.DriftRun(_run)], done[LiveSubject.DriftRun(_run)]);
        Assert.True(running.ContainsKey(LiveSubject.Notifications));
    }
}
