using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Identity;

internal static class IdentityTestData
{
    public const string Password = "correct horse battery";

    public static async Task<UserSummary> CreateUserAsync(DomainHost host, string name, params string[] roles) =>
        await host.Services.CreateScope().ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateUserAsync(new NewUser(name, $"{name}@example.test", Password, roles), CancellationToken.None);

    public static Actor ActorFor(UserSummary user) =>
        new(user.Id, user.UserName, user.Roles.ToHashSet(), true);
}
