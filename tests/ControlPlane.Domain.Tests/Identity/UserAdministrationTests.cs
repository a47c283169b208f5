using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Domain.Tests.Identity.IdentityTestData;

namespace ControlPlane.Domain.Tests.Identity;

public sealed class UserAdministrationTests
{
    [Theory]
    [InlineData(ControlPlaneRoles.DataScientist)]
    [InlineData(ControlPlaneRoles.ComplianceReviewer)]
    public async Task Only_admins_manage_users_whatever_called_the_service(string role)
    {
        await using var host = await DomainHost.StartAsync();
        var user = await CreateUserAsync(host, "someone", role);
        var users = host.As<UserAdministration>(ActorFor(user));

        await Assert.ThrowsAsync<ForbiddenException>(() => users.ListAsync(new PageRequest()));
        await Assert.ThrowsAsync<ForbiddenException>(() => users.CreateAsync(new NewUser("x", "x@example.test", Password, [])));
        await Assert.ThrowsAsync<ForbiddenException>(() => users.SetRolesAsync(user.Id, [ControlPlaneRoles.Admin]));
        await Assert.ThrowsAsync<ForbiddenException>(() => users.SetDisabledAsync(user.Id, true));
        await Assert.ThrowsAsync<AuthenticationFailedException>(() => host.As<UserAdministration>(Actor.Anonymous).ListAsync(new PageRequest()));
    }

    [Fact]
    public async Task A_rejected_user_leaves_no_row_behind()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var users = host.As<UserAdministration>(ActorFor(admin));

        var shortPassword = await Assert.ThrowsAsync<ValidationException>(() =>
            users.CreateAsync(new NewUser("bob", "bob@example.test", "elevenchars", [ControlPlaneRoles.DataScientist])));
        var badRole = await Assert.ThrowsAsync<ValidationException>(() =>
            users.CreateAsync(new NewUser("bob", "bob@example.test", Password, ["Superuser"])));

        Assert.True(shortPassword.Errors.ContainsKey("password"));
        Assert.Contains("Superuser", badRole.Message);
        Assert.Equal(1, (await users.ListAsync(new PageRequest())).TotalCount);
    }

    [Fact]
    public async Task Duplicate_user_names_are_rejected_case_insensitively()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var users = host.As<UserAdministration>(ActorFor(admin));
        await users.CreateAsync(new NewUser("Bob", "bob@example.test", Password, []));

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            users.CreateAsync(new NewUser("bob", "other@example.test", Password, [])));

        Assert.True(error.Errors.ContainsKey("userName"));
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted_or_disabled()
    {
        await using var host = await DomainHost.StartAsync();
        var root = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var second = await CreateUserAsync(host, "second", ControlPlaneRoles.Admin);
        var users = host.As<UserAdministration>(ActorFor(root));

        await users.SetDisabledAsync(second.Id, true);
        await Assert.ThrowsAsync<ConflictException>(() => users.SetRolesAsync(root.Id, [ControlPlaneRoles.DataScientist]));
        await Assert.ThrowsAsync<ConflictException>(() => users.SetDisabledAsync(root.Id, true));

        await users.SetDisabledAsync(second.Id, false);
        var demoted = await users.SetRolesAsync(root.Id, [ControlPlaneRoles.DataScientist]);
        Assert.Equal([ControlPlaneRoles.DataScientist], demoted.Roles);
    }

    [Fact]
    public async Task Lists_page_sort_and_search_on_the_server()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var users = host.As<UserAdministration>(ActorFor(admin));
        foreach (var name in new[] { "carol", "alice", "bob", "alfred" })
            await users.CreateAsync(new NewUser(name, $"{name}@example.test", Password, []));

        var page = await users.ListAsync(new PageRequest(Page: 1, PageSize: 2, SortBy: "userName"));
        var search = await users.ListAsync(new PageRequest(Search: "AL"));
        var descending = await users.ListAsync(new PageRequest(PageSize: 1, SortBy: "userName", Descending: true));

        Assert.Equal(5, page.TotalCount);
        Assert.Equal(["bob", "carol"], page.Items.Select(u => u.UserName));
        Assert.Equal(["alfred", "alice"], search.Items.Select(u => u.UserName));
        Assert.Equal("root", Assert.Single(descending.Items).UserName);
    }

    [Fact]
    public async Task Roles_are_replaced_exactly()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var bob = await CreateUserAsync(host, "bob", ControlPlaneRoles.DataScientist);
        var users = host.As<UserAdministration>(ActorFor(admin));

        var updated = await users.SetRolesAsync(bob.Id, [ControlPlaneRoles.ComplianceReviewer, ControlPlaneRoles.Admin]);

        Assert.Equal([ControlPlaneRoles.Admin, ControlPlaneRoles.ComplianceReviewer], updated.Roles);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.UserRoles.CountAsync(r => r.UserId == bob.Id));
    }
}
