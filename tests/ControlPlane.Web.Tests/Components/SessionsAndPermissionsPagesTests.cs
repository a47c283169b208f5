using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Sessions;
using ControlPlane.Domain.Registry.Permissions;
using ControlPlane.Web.Components.Pages.Account;
using ControlPlane.Web.Components.Pages.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>"Your sessions" and the model's Permissions tab over the real services.</summary>
public sealed class SessionsAndPermissionsPagesTests : RegistryComponentContext
{
    private Actor _grace = null!;
    private Guid _mine;
    private Guid _other;

    protected override async Task SeedAsync()
    {
        var admin = new Actor("admin-id", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);
        var users = Host.As<UserAdministration>(admin);
        var grace = await users.CreateAsync(new NewUser("grace", "grace@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        await users.CreateAsync(new NewUser("dana", "dana@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        await users.CreateAsync(new NewUser("lin", "lin@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        var sessions = Host.As<UserSessions>(admin);
        _mine = await sessions.StartAsync(grace.Id, "Laptop/1.0", "10.0.0.1");
        _other = await sessions.StartAsync(grace.Id, "Phone/2.0", "10.0.0.2");
        _grace = new Actor(grace.Id, "grace", new HashSet<string> { ControlPlaneRoles.DataScientist }, true) { SessionId = _mine };
        Ctx.Services.AddSingleton(Host.As<UserSessions>(_grace));
        Ctx.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new ControlPlane.Web.Auth.SessionOptions()));
        Ctx.Services.AddSingleton(Host.As<ModelPermissions>(Scientist));
        Ctx.Services.AddSingleton(TimeProvider.System);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task Your_sessions_marks_this_one_and_revokes_the_other()
    {
        var page = Ctx.Render<Sessions>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=sessions] tbody tr").Count));
        var current = Assert.Single(page.FindAll("[data-testid=this-session]"));
        Assert.Contains("Laptop/1.0", current.Closest("tr")!.TextContent);

        page.Find("[data-testid=revoke-session]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=sessions] tbody tr")));
        Assert.Contains("Laptop/1.0", page.Find("[data-testid=sessions] tbody").TextContent);
        Assert.Equal([_mine], (await Host.As<UserSessions>(_grace).ListMineAsync(TimeSpan.FromHours(8))).Select(s => s.Id));
        Assert.NotEqual(_mine, _other);
    }

    [Fact]
    public async Task The_owner_adds_an_owner_on_the_permissions_tab_and_sees_the_rules_in_force()
    {
        await Registry.CreateModelAsync("fraud", null, null); // dana creates it: its first owner
        await Host.As<ModelPermissions>(Scientist).SetAsync("fraud", new ModelPermissionsRequest(["dana"], MoveAliases: new ActionRule(ModelRestriction.OwnersOnly, [])));
        var panel = Ctx.Render<ModelPermissionsPanel>(p => p.Add(x => x.Model, "fraud"));
        panel.WaitForAssertion(() => Assert.Equal("dana", panel.Find("#permission-owners").GetAttribute("value")));
        Assert.Contains("Owners only", panel.Find("[data-testid=permission-rules]").TextContent);

        panel.Find("#permission-owners").Change("dana, lin");
        panel.Find("#save-permissions").Click();

        panel.WaitForAssertion(() => Assert.Equal("dana, lin", panel.Find("#permission-owners").GetAttribute("value")));
        var stored = await Host.As<ModelPermissions>(Scientist).GetAsync("fraud");
        Assert.Equal(["dana", "lin"], stored.Owners);
        Assert.Equal(ModelRestriction.OwnersOnly, stored.MoveAliases.Restriction); // the untouched rule is kept
    }
}
