using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>bUnit with MudBlazor over the real registry and dataset catalog (real inspector, SQLite file), acting as a data scientist.</summary>
public abstract class RegistryComponentContext : IAsyncLifetime
{
    protected static readonly Actor Scientist = new("ds-id", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    protected BunitContext Ctx { get; } = new();
    protected DomainHost Host { get; private set; } = null!;
    protected ModelRegistry Registry { get; private set; } = null!;
    protected DatasetCatalog Datasets { get; private set; } = null!;
    protected ChangeFeed Live => Host.Services.GetRequiredService<ChangeFeed>();

    public async Task InitializeAsync()
    {
        Host = await DomainHost.StartAsync(services: s => s.AddSingleton<IArtifactInspector, ArtifactInspector>());
        Registry = Host.As<ModelRegistry>(Scientist);
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddSingleton(Registry);
        Datasets = Host.As<DatasetCatalog>(Scientist);
        Ctx.Services.AddSingleton(Datasets);
        Ctx.Services.AddSingleton(Host.Services.GetRequiredService<ChangeFeed>());
        await SeedAsync();
    }

    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Ctx.DisposeAsync();
        await Host.DisposeAsync();
    }
}
