using System.Text;
using Bunit;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Components.Pages.Drift;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The monitor editor on the real monitor service: the categories charted per column are a field of their own.</summary>
public sealed class MonitorEditorDialogTests : RegistryComponentContext
{
    protected override async Task SeedAsync()
    {
        Ctx.Services.AddSingleton(Host.As<DriftMonitors>(Scientist));
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        await Datasets.CreateAsync("traffic", null, null);
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes("load,zone\n1,a\n2,b\n"));
        await Datasets.AddVersionAsync("traffic", file, "data.csv", null, null);
    }

    [Fact]
    public async Task The_categories_kept_per_histogram_are_shown_changed_and_saved()
    {
        var monitors = Host.As<DriftMonitors>(Scientist);
        var created = await monitors.CreateAsync(new DriftMonitorRequest("traffic-watch", new DatasetRef("traffic", 1), CurrentDataset: "traffic"));
        var provider = Ctx.Render<MudDialogProvider>();
        var dialogs = Ctx.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<MonitorEditorDialog>("Edit",
            new DialogParameters<MonitorEditorDialog> { { d => d.Existing, created } }));
        provider.WaitForElement("#save-monitor");

        var field = provider.Find("#monitor-categories");
        Assert.Equal(DriftMonitorSettings.DefaultMaxHistogramCategories.ToString(), field.GetAttribute("value"));
        field.Change("7");
        provider.Find("#save-monitor").Click();

        var closed = await reference!.Result;
        Assert.False(closed!.Canceled);
        Assert.Equal(7, (await monitors.GetAsync(created.Id)).Settings.MaxHistogramCategories);
    }
}
