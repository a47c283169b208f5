using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Identity;

/// <summary>Creates the admin named by <see cref="BootstrapOptions"/> when it does not exist yet, and registers its API token.</summary>
public sealed class BootstrapAdminSeeder(
    IServiceScopeFactory scopes,
    IOptions<BootstrapOptions> options,
    ILogger<BootstrapAdminSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.IsConfigured)
            return;
        await using var scope = OperationScope.Begin(scopes, Actor.System("bootstrap"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var admin = await users.FindByEmailAsync(o.AdminEmail!);
        if (admin is null)
        {
            var userName = string.IsNullOrWhiteSpace(o.AdminUserName) ? o.AdminEmail!.Split('@')[0] : o.AdminUserName;
            var created = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateUserAsync(new NewUser(userName, o.AdminEmail!, o.AdminPassword!, [ControlPlaneRoles.Admin]), ct, "ControlPlane:Bootstrap configuration");
            logger.LogInformation("Created bootstrap admin {UserName}", created.UserName);
            admin = await users.FindByIdAsync(created.Id);
        }
        if (!string.IsNullOrEmpty(o.AdminApiToken) && admin is not null)
            await scope.ServiceProvider.GetRequiredService<AccessTokenService>().RegisterBootstrapTokenAsync(admin.Id, o.AdminApiToken, ct);
    }
}
