using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Tests.Apis;

[Collection(WebCollection.Name)]
public sealed class AdminUsersApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task An_admin_creates_a_user_changes_roles_and_disables_and_enables_it()
    {
        var name = $"dana-{Guid.NewGuid():N}"[..14];
        var created = await Admin.PostAsJsonAsync("/api/v1/admin/users",
            new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = (await created.Content.ReadFromJsonAsync<UserSummary>())!;
        Assert.Equal($"/api/v1/admin/users/{user.Id}", created.Headers.Location?.OriginalString);

        var roles = await Admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/roles", new SetRolesRequest([ControlPlaneRoles.ComplianceReviewer]));
        Assert.Equal([ControlPlaneRoles.ComplianceReviewer], (await roles.Content.ReadFromJsonAsync<UserSummary>())!.Roles);

        var token = await app.IssueTokenAsync(name);
        var asUser = app.ClientWithToken(token);
        Assert.Equal([ControlPlaneRoles.ComplianceReviewer], (await asUser.GetFromJsonAsync<MeResponse>("/api/v1/me"))!.Roles);

        var disabled = await Admin.PostAsync($"/api/v1/admin/users/{user.Id}/disable", null);
        Assert.True((await disabled.Content.ReadFromJsonAsync<UserSummary>())!.IsDisabled);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asUser.GetAsync("/api/v1/me")).StatusCode);

        await Admin.PostAsync($"/api/v1/admin/users/{user.Id}/enable", null);
        Assert.Equal(HttpStatusCode.OK, (await asUser.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_short_password_is_a_400_that_says_so_and_creates_nothing()
    {
        var name = $"eve-{Guid.NewGuid():N}"[..12];

        var response = await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", "tooshort", []));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Contains("12", Assert.Single(problem!.Errors["password"]));
        var listed = await Admin.GetFromJsonAsync<Page<UserSummary>>($"/api/v1/admin/users?search={name}");
        Assert.Equal(0, listed!.TotalCount);
    }

    [Fact]
    public async Task The_admin_cannot_disable_their_own_account()
    {
        var me = await Admin.GetFromJsonAsync<Page<UserSummary>>("/api/v1/admin/users?search=admin@example.test");
        var self = Assert.Single(me!.Items);

        var response = await Admin.PostAsync($"/api/v1/admin/users/{self.Id}/disable", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("You cannot disable your own account.", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task Unknown_users_are_404_problems()
    {
        var response = await Admin.GetAsync("/api/v1/admin/users/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

}
