using System.Text;
using System.Text.RegularExpressions;
using Bunit;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Components.Pages.Datasets;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>Dataset pages rendered by bUnit over the real catalog (real reader and profiler) on a SQLite file.</summary>
public sealed class DatasetPagesTests : RegistryComponentContext
{
    protected override Task SeedAsync()
    {
        Ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Task.CompletedTask;
    }

    private async Task<DatasetVersionView> AddAsync(string dataset, string csv)
    {
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await Datasets.AddVersionAsync(dataset, file, "data.csv", null, "test");
    }

    [Fact]
    public async Task The_version_page_shows_facts_a_card_per_column_and_the_schema()
    {
        await Datasets.CreateAsync("loans", null, null);
        await AddAsync("loans", "amount,purpose\n100,car\n250,house\n,car\n");

        var page = Ctx.Render<DatasetVersionPage>(p => p.Add(x => x.Name, "loans").Add(x => x.Number, 1));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=column-profile]").Count));
        Assert.Contains("3 rows · 2 columns", page.Find("[data-testid=version-facts]").TextContent);
        var amount = Regex.Replace(page.Find("[data-column=amount]").TextContent, @"\s+", " ");
        Assert.True(amount.Contains("2 values · 1 missing (33.3%)"), amount);
        // Mean of 100 and 250, and their sample std 75·√2.
        Assert.Contains("mean175", amount.Replace(" ", ""));
        Assert.Contains("std106.066", amount.Replace(" ", ""));
        Assert.Contains("2 distinct values", page.Find("[data-testid=column-profile][data-column=purpose]").TextContent);
    }

    [Fact]
    public async Task Saving_a_type_change_in_the_schema_editor_recomputes_the_profile()
    {
        await Datasets.CreateAsync("codes", null, null);
        var version = await AddAsync("codes", "code,value\n1,0.5\n2,0.7\n1,0.9\n");
        var saved = new List<DatasetVersionView>();
        var editor = Ctx.Render<SchemaEditor>(p => p.Add(x => x.Version, version).Add(x => x.Saved, (DatasetVersionView v) => saved.Add(v)));
        Assert.True(editor.Find("#save-schema").HasAttribute("disabled"));

        // Choose Categorical for 'code' as the select reports a choice (its popover needs a browser; the journey test clicks it).
        var typeOfCode = editor.FindComponents<MudBlazor.MudSelect<ColumnType>>()[0];
        await editor.InvokeAsync(() => typeOfCode.Instance.ValueChanged.InvokeAsync(ColumnType.Categorical));
        editor.Find("#save-schema").Click();

        editor.WaitForAssertion(() => Assert.Single(saved));
        var code = saved[0].Profile!.Columns.Single(c => c.Name == "code");
        Assert.Equal(ColumnType.Categorical, code.Type);
        Assert.Equal([("1", 2L), ("2", 1L)], code.Categories!.Top.Select(t => (t.Value, t.Count)).ToArray());
        Assert.Equal(ColumnType.Categorical, (await Datasets.GetVersionAsync("codes", 1)).Schema[0].Type);
    }

    [Fact]
    public async Task The_comparison_page_puts_two_versions_side_by_side()
    {
        await Datasets.CreateAsync("monthly", null, null);
        await AddAsync("monthly", "score,segment\n1,a\n2,a\n3,b\n4,b\n");
        await AddAsync("monthly", "score,segment\n10,a\n20,c\n30,c\n,c\n");

        Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/datasets/monthly/compare?a=1&b=2");

        var page = Ctx.Render<CompareVersions>(p => p.Add(x => x.Name, "monthly"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=compare-column]").Count));
        var score = Regex.Replace(page.FindAll("[data-testid=compare-summary] tbody tr")[0].TextContent, @"\s+", "");
        Assert.Contains("0.0%25.0%2.520", score); // missing shares, then means 2.5 and 20
    }
}
