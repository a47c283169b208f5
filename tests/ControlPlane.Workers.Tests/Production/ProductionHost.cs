using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Drift;
using ControlPlane.Workers.Production;
using ControlPlane.Workers.Tests.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// The real domain on a real SQLite file, the real telemetry store and the windows runner; a model "churn" whose
/// telemetry the tests write. The fake clock starts at 2026-01-15 09:30 UTC, so the windows from 07:00 and 08:00 are closed.
/// </summary>
internal sealed class ProductionHost : IAsyncDisposable
{
    public static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    public static readonly DateTime Seven = new(2026, 1, 15, 7, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Eight = Seven.AddHours(1);

    private ProductionHost(DomainHost host, RecordingScheduler jobs, Guid modelId)
    {
        Host = host;
        Jobs = jobs;
        ModelId = modelId;
    }

    public DomainHost Host { get; }
    public RecordingScheduler Jobs { get; }
    public Guid ModelId { get; }
    public const string Model = "churn";

    public static async Task<ProductionHost> StartAsync(Action<WindowComputeOptions>? options = null)
    {
        var jobs = new RecordingScheduler();
        var host = await DomainHost.StartAsync(services: s =>
        {
            s.AddSingleton<IJobScheduler>(jobs).AddSingleton<IArtifactInspector, Inspection.ArtifactInspector>();
            s.AddSingleton<DriftRunner>();
            s.AddSingleton(new ReferenceSampleCache());
            s.AddSingleton<ProductionAlerts>();
            s.AddScoped<ProductionWindowsRunner>();
            s.AddOptions<WindowComputeOptions>().Configure(o => options?.Invoke(o));
        });
        var model = await host.As<ModelRegistry>(Scientist).CreateModelAsync(Model, null, null);
        return new ProductionHost(host, jobs, model.Id);
    }

    /// <summary>A reference dataset version from CSV text (types inferred as on upload).</summary>
    public async Task<Guid> ReferenceAsync(string name, string csv)
    {
        var catalog = Host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync(name, null, null);
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return (await catalog.AddVersionAsync(name, file, $"{name}.csv", null, null)).Id;
    }

    public async Task<Guid> MonitorAsync(ProductionMonitorSettings settings, Guid? reference = null, ProductionTarget target = ProductionTarget.Versions,
        string targetValue = "1", int cooldownMinutes = 60, Guid? retrainSpec = null, string name = "live")
    {
        var now = Host.Time.GetUtcNow().UtcDateTime;
        var monitor = new ProductionMonitor
        {
            Id = Guid.CreateVersion7(), ModelId = ModelId, Name = name, NormalizedName = name.ToUpperInvariant(), Target = target, TargetValue = targetValue,
            WindowSize = ProductionWindowSize.Hour, ReferenceDatasetVersionId = reference, Settings = settings.ToJson(), AlertCooldownMinutes = cooldownMinutes,
            RetrainSpecId = retrainSpec, Owner = Scientist.Name, CreatedAtUtc = now, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        };
        await using var db = await Db();
        db.ProductionMonitors.Add(monitor);
        using (AuditAmbient.BeginAction("productionMonitor.created", "productionMonitor", monitor.Id.ToString()))
            await db.SaveChangesAsync();
        return monitor.Id;
    }

    public Task<TelemetrySegment> PredictionsAsync(DateTime receivedAt, params PredictionRow[] rows) => TelemetryFiles.PredictionsAsync(Host, ModelId, Model, receivedAt, rows);

    public Task<TelemetrySegment> ActualsAsync(DateTime receivedAt, params ActualRow[] rows) => TelemetryFiles.ActualsAsync(Host, ModelId, Model, receivedAt, rows);

    public Task<int> RunAsync(Guid monitorId) => Host.As<ProductionWindowsRunner>(Actor.System()).RunAsync(monitorId, CancellationToken.None);

    public async Task<List<ProductionWindow>> WindowsAsync(Guid monitorId)
    {
        await using var db = await Db();
        return await db.ProductionWindows.AsNoTracking().Where(w => w.MonitorId == monitorId).OrderBy(w => w.StartUtc).ToListAsync();
    }

    public async Task<ProductionWindowResult> WindowAsync(Guid monitorId, DateTime start) =>
        ProductionWindowResult.FromJson((await WindowsAsync(monitorId)).Single(w => w.StartUtc == start).Results);

    public Task<ControlPlaneDbContext> Db() => Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
