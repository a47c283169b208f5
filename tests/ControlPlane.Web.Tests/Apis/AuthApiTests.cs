using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Tests.Apis;

[Collection(WebCollection.Name)]
public sealed class AuthApiTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task A_password_buys_a_token_that_authenticates_me()
    {
        var token = await app.IssueTokenAsync("admin");

        var me = await app.ClientWithToken(token).GetFromJsonAsync<MeResponse>("/api/v1/me");

        Assert.Equal("admin", me!.UserName);
        Assert.Equal("admin@example.test", me.Email);
        Assert.Equal([ControlPlaneRoles.Admin], me.Roles);
    }

    [Fact]
    public async Task The_bootstrap_token_from_configuration_is_accepted()
    {
        var response = await app.ClientWithToken(ControlPlaneWebFactory.AdminToken).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_a_401_problem_and_counts_toward_lockout()
    {
        var name = await CreateUserAsync();
        var anonymous = app.ClientWithToken(null);

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(name, "wrong password!!", "x", 1));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("The user name or password is wrong.", problem!.Detail);
        var listed = await app.ClientWithToken(ControlPlaneWebFactory.AdminToken)
            .GetFromJsonAsync<Page<UserSummary>>($"/api/v1/admin/users?search={name}");
        Assert.False(Assert.Single(listed!.Items).IsLockedOut);

        for (var i = 1; i < IdentityRules.MaxFailedAccessAttempts; i++)
            await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(name, "wrong password!!", "x", 1));
        var locked = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(name, ControlPlaneWebFactory.Password, "x", 1));

        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal("The user name or password is wrong.", (await locked.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail); // the same answer: lockout is not revealed
        listed = await app.ClientWithToken(ControlPlaneWebFactory.AdminToken).GetFromJsonAsync<Page<UserSummary>>($"/api/v1/admin/users?search={name}");
        Assert.True(Assert.Single(listed!.Items).IsLockedOut);
    }

    [Theory]
    [InlineData("cpat_made-up")]
    [InlineData("")]
    public async Task Unknown_bearer_tokens_are_401_with_a_bearer_challenge(string token)
    {
        var client = app.ClientWithToken(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");

        var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var name = await CreateUserAsync();
        var token = await app.IssueTokenAsync(name);
        var client = app.ClientWithToken(token);
        var mine = await client.GetFromJsonAsync<List<AccessTokenInfo>>("/api/v1/auth/tokens");

        var revoke = await client.DeleteAsync($"/api/v1/auth/tokens/{Assert.Single(mine!).Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Invalid_token_requests_are_400_problems_naming_the_field()
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest("admin", ControlPlaneWebFactory.Password, "ci", 400));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.True(problem!.Errors.ContainsKey("expiresInDays"));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        var response = await app.ClientWithToken(null).PostAsync("/api/v1/auth/tokens",
            new StringContent("{\"userName\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> CreateUserAsync()
    {
        var name = $"user-{Guid.NewGuid():N}"[..16];
        var response = await app.ClientWithToken(ControlPlaneWebFactory.AdminToken).PostAsJsonAsync("/api/v1/admin/users",
            new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]));
        response.EnsureSuccessStatusCode();
        return name;
    }

}
