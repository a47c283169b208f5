using Bunit;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Models;
using Microsoft.AspNetCore.Components;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The models grid and the signature table, rendered by bUnit over the real registry on a SQLite file.</summary>
public sealed class ModelListTests : RegistryComponentContext
{
    protected override Task SeedAsync()
    {
        Ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_grid_shows_one_server_page_with_the_total_and_stage_chips()
    {
        for (var i = 0; i < 30; i++)
            await Registry.CreateModelAsync($"m{i:D2}", $"model {i}", new Dictionary<string, string> { ["team"] = i % 2 == 0 ? "even" : "odd" });
        await using (var file = new MemoryStream(HandBuiltOnnx.Identity()))
            await Registry.RegisterVersionAsync("m00", file, "m.onnx", null);
        await Registry.SetStageAsync("m00", 1, LifecycleStage.Staging, "candidate");
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Ctx.Render<ModelList>();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr").Count));
        Assert.Contains("1-25 of 30", page.Markup);
        Assert.Contains("team=even", page.Markup);
        Assert.Contains("Staging", page.Find("tbody tr").TextContent);
    }

    [Fact]
    public async Task The_interactive_grid_names_each_model_with_a_real_link_not_a_row_click()
    {
        await Registry.CreateModelAsync("linked", null, null);
        await Registry.RegisterVersionAsync("linked", new MemoryStream(HandBuiltOnnx.Identity()), "m.onnx", null);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Ctx.Render<ModelList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        var link = page.Find("tbody tr td a");
        Assert.Equal("/models/linked", link.GetAttribute("href"));
        Assert.Equal("linked", link.TextContent);
    }

    [Fact]
    public async Task Prerendering_writes_the_first_page_into_the_html()
    {
        for (var i = 0; i < 3; i++)
            await Registry.CreateModelAsync($"pre{i}", null, null);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Ctx.Render<ModelList>();

        page.WaitForAssertion(() => Assert.Equal(["pre0", "pre1", "pre2"], page.FindAll("tbody tr a").Select(a => a.TextContent)));
        Assert.Empty(page.FindAll(".mud-table-pagination"));
    }

    [Fact]
    public void Dynamic_dimensions_show_as_question_marks()
    {
        var table = Ctx.Render<SignatureTable>(p => p
            .Add(t => t.Title, "Inputs")
            .Add(t => t.Specs, [new TensorSpec("float_input", "float", [-1, 3]), new TensorSpec("zipmap", "sequence<map<int64,float>>", [])]));

        var rows = table.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("[?, 3]", rows[0]);
        Assert.Contains("—", rows[1]);
    }
}
