using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>The recurring job over every enabled monitor, and a stage target resolved to the versions in the stage now.</summary>
public sealed class WindowsJobTests
{
    [Fact]
    public async Task The_recurring_run_computes_enabled_monitors_only_and_a_stage_means_its_versions_now()
    {
        await using var p = await ProductionHost.StartAsync();
        await using (var db = await p.Db())
        {
            foreach (var (number, stage) in new[] { (1, LifecycleStage.Staging), (2, LifecycleStage.Production), (3, LifecycleStage.Archived) })
                db.Versions.Add(new ModelVersion
                {
                    Id = Guid.CreateVersion7(), ModelId = p.ModelId, Number = number, Flavor = ModelFlavor.Onnx, ArtifactSha256 = new string('a', 64), ArtifactFileName = "m.onnx",
                    Signature = "{}", Stage = stage, CreatedBy = Scientist.Name, CreatedAtUtc = p.Host.Time.GetUtcNow().UtcDateTime, ConcurrencyStamp = Guid.NewGuid(),
                });
            using (AuditAmbient.BeginAction("test.versions", "model", p.ModelId.ToString()))
                await db.SaveChangesAsync();
        }
        var production = await p.MonitorAsync(new ProductionMonitorSettings(), target: ProductionTarget.Stage, targetValue: "Production", name: "production");
        var disabled = await p.MonitorAsync(new ProductionMonitorSettings(), name: "disabled");
        await using (var db = await p.Db())
        {
            await db.ProductionMonitors.Where(m => m.Id == disabled).ExecuteUpdateAsync(s => s.SetProperty(m => m.Enabled, false));
        }
        await p.PredictionsAsync(Eight.AddMinutes(61), Enumerable.Range(0, 9).Select(i => new PredictionRow($"p{i}", Eight, Version: i % 3 + 1)).ToArray());

        var job = new ProductionWindowsJob(p.Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>(),
            p.Host.As<ProductionWindowsRunner>(Actor.System()), NullLogger<ProductionWindowsJob>.Instance);
        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);

        var window = Assert.Single(await p.WindowsAsync(production));
        Assert.Equal([new ServedSlice(2, "primary", 3)], ProductionWindowResult.FromJson(window.Results).Served);
        Assert.Empty(await p.WindowsAsync(disabled));
    }
}
