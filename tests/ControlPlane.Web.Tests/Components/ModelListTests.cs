using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Components.Pages.Models;
using ControlPlane.Workers.Inspection;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The models grid and the signature table, rendered by bUnit over the real registry on a SQLite file.</summary>
public sealed class ModelListTests : IAsyncLifetime
{
    private static readonly Actor Scientist = new("ds-id", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private readonly BunitContext _ctx = new();
    private DomainHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(services: s => s.AddSingleton<IArtifactInspector, ArtifactInspector>());
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
    }

    [Fact]
    public async Task The_grid_shows_one_server_page_with_the_total_and_stage_chips()
    {
        var registry = _host.As<ModelRegistry>(Scientist);
        for (var i = 0; i < 30; i++)
            await registry.CreateModelAsync($"m{i:D2}", $"model {i}", new Dictionary<string, string> { ["team"] = i % 2 == 0 ? "even" : "odd" });
        await using (var file = new MemoryStream(HandBuiltOnnx.Identity()))
            await registry.RegisterVersionAsync("m00", file, "m.onnx", null);
        await registry.SetStageAsync("m00", 1, LifecycleStage.Staging, "candidate");
        _ctx.Services.AddSingleton(registry);
        _ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = _ctx.Render<ModelList>();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr").Count));
        Assert.Contains("1-25 of 30", page.Markup);
        Assert.Contains("team=even", page.Markup);
        Assert.Contains("Staging", page.Find("tbody tr").TextContent);
    }

    [Fact]
    public async Task Prerendering_writes_the_first_page_into_the_html()
    {
        var registry = _host.As<ModelRegistry>(Scientist);
        for (var i = 0; i < 3; i++)
            await registry.CreateModelAsync($"pre{i}", null, null);
        _ctx.Services.AddSingleton(registry);
        _ctx.Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = _ctx.Render<ModelList>();

        page.WaitForAssertion(() => Assert.Equal(["pre0", "pre1", "pre2"], page.FindAll("tbody tr a").Select(a => a.TextContent)));
        Assert.Empty(page.FindAll(".mud-table-pagination"));
    }

    [Fact]
    public void Dynamic_dimensions_show_as_question_marks()
    {
        var table = _ctx.Render<SignatureTable>(p => p
            .Add(t => t.Title, "Inputs")
            .Add(t => t.Specs, [new TensorSpec("float_input", "float", [-1, 3]), new TensorSpec("zipmap", "sequence<map<int64,float>>", [])]));

        var rows = table.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("[?, 3]", rows[0]);
        Assert.Contains("—", rows[1]);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _host.DisposeAsync();
    }
}
