using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Domain.Tests.Identity.IdentityTestData;

namespace ControlPlane.Domain.Tests.Identity;

public sealed class FirstRunSetupTests
{
    [Fact]
    public async Task The_setup_link_creates_one_admin_and_is_spent()
    {
        await using var host = await DomainHost.StartAsync();
        var setup = host.Services.GetRequiredService<FirstRunSetup>();
        var users = host.As<UserAdministration>(Actor.Anonymous);
        var token = await setup.GetOrCreateTokenAsync();
        Assert.NotNull(token);

        await Assert.ThrowsAsync<ForbiddenException>(() => setup.CreateFirstAdminAsync("guess", "root", "root@example.test", Password, users));
        var admin = await setup.CreateFirstAdminAsync(token!, "root", "root@example.test", Password, users);

        Assert.Equal([ControlPlaneRoles.Admin], admin.Roles);
        Assert.False(setup.IsValidToken(token));
        Assert.Null(await setup.GetOrCreateTokenAsync());
        await Assert.ThrowsAsync<ForbiddenException>(() => setup.CreateFirstAdminAsync(token!, "second", "second@example.test", Password, users));
    }

    [Fact]
    public async Task A_rejected_password_keeps_the_link_usable()
    {
        await using var host = await DomainHost.StartAsync();
        var setup = host.Services.GetRequiredService<FirstRunSetup>();
        var users = host.As<UserAdministration>(Actor.Anonymous);
        var token = (await setup.GetOrCreateTokenAsync())!;

        await Assert.ThrowsAsync<ValidationException>(() => setup.CreateFirstAdminAsync(token, "root", "root@example.test", "short", users));

        Assert.True(setup.IsValidToken(token));
    }

    [Fact]
    public async Task Bootstrap_settings_create_the_admin_and_register_the_exact_api_token_once()
    {
        const string apiToken = "cpat_bootstrap-secret-for-automation-0123456789";
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["ControlPlane:Bootstrap:AdminEmail"] = "ops@example.test",
            ["ControlPlane:Bootstrap:AdminPassword"] = Password,
            ["ControlPlane:Bootstrap:AdminApiToken"] = apiToken,
        });
        var seeder = host.Services.GetRequiredService<BootstrapAdminSeeder>();

        await seeder.SeedAsync(CancellationToken.None);
        await seeder.SeedAsync(CancellationToken.None);

        var user = await host.As<AccessTokenService>(Actor.Anonymous).AuthenticateAsync(apiToken);
        Assert.Equal("ops", user?.UserName);
        Assert.Null(await host.Services.GetRequiredService<FirstRunSetup>().GetOrCreateTokenAsync());
        var admin = IdentityTestData.ActorFor(await host.As<UserAdministration>(new Actor(user!.Id, "ops", new HashSet<string> { ControlPlaneRoles.Admin }, true)).GetCurrentAsync());
        Assert.Single(await host.As<AccessTokenService>(admin).ListForCurrentUserAsync());
    }
}
