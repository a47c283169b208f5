using Bunit;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Search;
using ControlPlane.Web.Components.Layout;
using ControlPlane.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The app bar's search box and the grouped results page over the real search.</summary>
public sealed class SearchPageTests : RegistryComponentContext
{
    protected override Task SeedAsync()
    {
        Ctx.Services.AddSingleton(Host.As<GlobalSearch>(Scientist));
        Ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Results_are_grouped_by_kind_with_links_to_each_page()
    {
        await Registry.CreateModelAsync("credit-risk", "scores loan applications", null);
        await Datasets.CreateAsync("credit-applications", null, null);
        await Datasets.CreateAsync("weather", null, null);
        Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/search?q=CREDIT");

        var page = Ctx.Render<SearchPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=search-group]").Count));
        var models = page.Find("[data-testid=search-group][data-kind=Models]");
        Assert.Contains("scores loan applications", models.TextContent);
        Assert.Equal("/models/credit-risk", models.QuerySelector("a")!.GetAttribute("href"));
        Assert.Single(page.Find("[data-testid=search-group][data-kind=Datasets]").QuerySelectorAll("[data-testid=search-hit]"));
        Assert.Contains("No matches", page.Find("[data-testid=search-group][data-kind='Drift monitors']").TextContent);
    }

    [Fact]
    public void Enter_in_the_app_bar_box_opens_the_results()
    {
        var box = Ctx.Render<SearchBox>();

        box.Find("#global-search").Input("risk model");
        box.Find("#global-search").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.EndsWith("/search?q=risk%20model", Ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }
}
