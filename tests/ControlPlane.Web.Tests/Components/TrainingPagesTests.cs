using System.Text;
using Bunit;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Training;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The spec and run pages over the real services; a finished run is stored as its job stores it (this host has no job server).</summary>
public sealed class TrainingPagesTests : RegistryComponentContext
{
    protected override Task SeedAsync()
    {
        Ctx.Services.AddSingleton(Host.As<TrainingService>(Scientist));
        Ctx.Services.AddSingleton(Host.As<DriftMonitors>(Scientist));
        Ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_spec_page_lists_its_definition_and_runs_and_the_run_page_its_figures_version_and_export()
    {
        await Registry.CreateModelAsync("churn", null, null);
        await using (var onnx = new MemoryStream(HandBuiltOnnx.Identity()))
            await Registry.RegisterVersionAsync("churn", onnx, "m.onnx", null);
        await Datasets.CreateAsync("customers", null, null);
        await using (var file = new MemoryStream(Encoding.UTF8.GetBytes("tenure,plan,churned\n1,a,true\n5,b,false\n9,a,false\n")))
            await Datasets.AddVersionAsync("customers", file, "c.csv", null, null);
        var spec = await Host.As<TrainingService>(Scientist).CreateSpecAsync(new TrainingSpecRequest("churn", "weekly", TrainingTask.Binary, "churned",
            [new("tenure", FeatureTreatment.Numerical), new("plan", FeatureTreatment.Categorical)], TrainerCatalog.FastTree, new DatasetSelection("customers")));
        var runId = await StoreFinishedRunAsync(spec);

        var specPage = Ctx.Render<TrainingSpecPage>(p => p.Add(x => x.Id, spec.Id));
        var runPage = Ctx.Render<TrainingRunPage>(p => p.Add(x => x.Id, runId));

        specPage.WaitForAssertion(() => Assert.Contains("plan (Categorical)", specPage.Find("[data-testid=spec-facts]").TextContent));
        Assert.Contains("numberOfTrees = 100", specPage.Find("[data-testid=spec-facts]").TextContent);
        Assert.Contains("accuracy 0.875", specPage.Markup);
        runPage.WaitForAssertion(() => Assert.Equal(2, runPage.FindAll("[data-testid=metric-card]").Count));
        Assert.Equal("/models/churn/versions/1", runPage.Find("#registered-version").GetAttribute("href"));
        Assert.Contains("ML.NET cannot export the pipeline to ONNX: text", runPage.Markup);
        Assert.Contains("customers v1", runPage.Find("[data-testid=run-facts]").TextContent);
    }

    private async Task<Guid> StoreFinishedRunAsync(TrainingSpecView spec)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var version = await db.Versions.SingleAsync(v => v.Number == 1 && v.Model!.Name == "churn");
        var data = await db.DatasetVersions.SingleAsync(v => v.Dataset!.Name == "customers");
        var run = new TrainingRun
        {
            Id = Guid.CreateVersion7(), SpecId = spec.Id, SpecHash = spec.Hash, Trigger = "manual", Status = TrainingRunStatus.Succeeded,
            DatasetVersionId = data.Id, ModelVersionId = version.Id, Metrics = """{"accuracy":0.875,"rocAuc":0.91}""", TrainingRows = 8, ValidationRows = 2,
            OnnxExport = OnnxExportStatus.NotExportable, OnnxMessage = "ML.NET cannot export the pipeline to ONNX: text", Progress = 1, Phase = "done",
            RequestedBy = "dana", RequestedAtUtc = DateTime.UtcNow, CompletedAtUtc = DateTime.UtcNow, Machine = "worker-1", TrainingMs = 1234,
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
