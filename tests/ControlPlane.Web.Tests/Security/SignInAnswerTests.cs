using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Security review §6: every failed token request gets the same answer, whatever the account's state, so accounts cannot
/// be told apart; attempts on one account are limited (429 with Retry-After) wherever they come from.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SignInAnswerTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Unknown_disabled_locked_and_wrong_password_get_one_identical_answer()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        async Task<UserSummary> UserAsync(string prefix)
        {
            var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
            var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]));
            return (await created.Content.ReadFromJsonAsync<UserSummary>())!;
        }
        var wrong = await UserAsync("wrong");
        var disabled = await UserAsync("disabled");
        Assert.True((await admin.PostAsync($"/api/v1/admin/users/{disabled.Id}/disable", null)).IsSuccessStatusCode);
        var locked = await UserAsync("locked");
        using var anonymous = app.ClientWithToken(null);
        for (var i = 0; i < IdentityRules.MaxFailedAccessAttempts; i++)
            await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(locked.UserName, "not the password", "x", 1));

        var answers = new List<string>();
        foreach (var (user, password) in new[]
        {
            ($"nobody-{Guid.NewGuid():N}"[..20], ControlPlaneWebFactory.Password),
            (wrong.UserName, "not the password"),
            (disabled.UserName, ControlPlaneWebFactory.Password),
            (disabled.UserName, "not the password"),
            (locked.UserName, ControlPlaneWebFactory.Password),
            (locked.UserName, "not the password"),
            (locked.Email!, ControlPlaneWebFactory.Password),
        })
        {
            var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(user, password, "x", 1));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
            answers.Add($"{problem.Title}|{problem.Detail}|{response.Content.Headers.ContentType}");
        }
        Assert.Single(answers.Distinct());
        Assert.Contains(CredentialCheck.InvalidCredentials, answers[0]);
    }

    [Fact]
    public async Task Attempts_on_one_account_above_the_limit_are_a_429_with_retry_after_even_with_the_right_password()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var name = $"guessed-{Guid.NewGuid():N}"[..20];
        (await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        using var anonymous = app.ClientWithToken(null);
        var limit = new SignInLimits().PerAccount;
        for (var i = 0; i < limit; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(name.ToUpperInvariant(), $"guess {i}", "x", 1))).StatusCode);

        var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(name, ControlPlaneWebFactory.Password, "x", 1));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var wait = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait!.Value, TimeSpan.FromSeconds(1), new SignInLimits().Window);
        // Another account is not slowed by this one.
        var other = $"other-{Guid.NewGuid():N}"[..20];
        (await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(other, $"{other}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(other, ControlPlaneWebFactory.Password, "x", 1))).StatusCode);
    }
}
