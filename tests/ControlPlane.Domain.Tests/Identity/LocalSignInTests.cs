using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Domain.Tests.Identity.IdentityTestData;

namespace ControlPlane.Domain.Tests.Identity;

/// <summary><c>ControlPlane:Oidc:LocalSignIn=false</c>: a right user name and password no longer buys a token, in the service itself.</summary>
public sealed class LocalSignInTests
{
    [Fact]
    public async Task With_local_sign_in_off_the_right_password_gets_no_token_and_counts_nothing()
    {
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Oidc:LocalSignIn"] = "false" });
        var alice = await CreateUserAsync(host, "alice", ControlPlaneRoles.DataScientist);

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => host.As<AccessTokenService>(Actor.Anonymous).IssueWithPasswordAsync("alice", Password, "ci", 30));

        Assert.Contains("turned off", refused.Message);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.False(await db.PersonalAccessTokens.AnyAsync(t => t.UserId == alice.Id));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.LoginSucceeded || e.Action == AuditActions.TokenCreated));
    }

    [Fact]
    public async Task With_local_sign_in_on_by_default_the_same_call_issues_a_token()
    {
        await using var host = await DomainHost.StartAsync();
        await CreateUserAsync(host, "alice", ControlPlaneRoles.DataScientist);

        var issued = await host.As<AccessTokenService>(Actor.Anonymous).IssueWithPasswordAsync("alice", Password, "ci", 30);

        Assert.StartsWith(AccessTokenService.Prefix, issued.Token);
    }
}
