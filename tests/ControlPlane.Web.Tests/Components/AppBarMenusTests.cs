using Bunit;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Persistence;
using ControlPlane.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The app bar's menus: the bell's alerts are links where they point, and Esc closes both menus.</summary>
public sealed class AppBarMenusTests : RegistryComponentContext
{
    [Fact]
    public async Task The_bells_alerts_are_links_to_what_they_are_about_and_escape_closes_the_menu()
    {
        await using (var db = await Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            db.Notifications.Add(new Notification
            {
                Id = Guid.CreateVersion7(), Kind = "drift", Title = "Drift on loans-watch: income", Body = "Drifted columns: income.",
                Link = "/drift/monitors/7d2c0b52-0000-0000-0000-000000000001?run=7d2c0b52-0000-0000-0000-000000000002", CreatedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        Ctx.Services.AddSingleton(Host.As<Notifications>(Scientist));
        Ctx.Services.AddSingleton(TimeProvider.System);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var menu = Ctx.Render<NotificationsMenu>();
        menu.Find("button[aria-label=Notifications]").Click();

        var alert = menu.WaitForElement("a[data-testid=notification]");
        Assert.Equal("/drift/monitors/7d2c0b52-0000-0000-0000-000000000001?run=7d2c0b52-0000-0000-0000-000000000002", alert.GetAttribute("href"));
        Assert.Contains("Drift on loans-watch", alert.TextContent);

        menu.Find(".cp-menu").KeyDown(key: "Enter");
        Assert.NotEmpty(menu.FindAll("a[data-testid=notification]"));
        menu.Find(".cp-menu").KeyDown(key: "Escape");
        Assert.Empty(menu.FindAll("a[data-testid=notification]"));
        Assert.Equal("false", menu.Find("button[aria-label=Notifications]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Escape_closes_the_user_menu()
    {
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, "dana")], "test"));
        var menu = Ctx.Render<UserMenu>(p => p.Add(x => x.User, user));

        menu.Find("button[aria-label='User menu']").Click();
        Assert.NotEmpty(menu.FindAll("[data-testid=current-user]"));
        menu.Find(".cp-menu").KeyDown(key: "Escape");
        Assert.Empty(menu.FindAll("[data-testid=current-user]"));
    }
}
