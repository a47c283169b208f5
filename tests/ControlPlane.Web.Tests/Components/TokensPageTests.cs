using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Components.Pages.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The tokens page makes a token with the scopes and models chosen, and lists them.</summary>
public sealed class TokensPageTests : RegistryComponentContext
{
    private Actor _grace = null!;

    protected override async Task SeedAsync()
    {
        var admin = new Actor("admin-id", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);
        var user = await Host.As<UserAdministration>(admin).CreateAsync(new NewUser("grace", "grace@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        _grace = new Actor(user.Id, "grace", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
        await Registry.CreateModelAsync("fraud", null, null);
        Ctx.Services.AddSingleton(Host.As<AccessTokenService>(_grace));
        Ctx.Services.AddSingleton(TimeProvider.System);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task A_token_is_made_with_the_chosen_scopes_and_models_and_listed_with_them()
    {
        var page = Ctx.Render<Tokens>();
        page.Find("#token-name").Change("serving-app");
        page.Find("#scope-write").Change(false);
        page.Find("#scope-ingest").Change(true);
        page.Find("#token-models").Change("fraud");

        page.Find("#create-token").Click();

        page.WaitForAssertion(() => Assert.Equal("read, ingest", page.Find("[data-testid=token-scope-list]").TextContent));
        Assert.Contains("fraud", page.Find("tbody").TextContent);
        var stored = Assert.Single(await Host.As<AccessTokenService>(_grace).ListForCurrentUserAsync());
        Assert.Equal(["read", "ingest"], stored.Scopes);
        Assert.Equal(["fraud"], stored.Models);
    }
}
