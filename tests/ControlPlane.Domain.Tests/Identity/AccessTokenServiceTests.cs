using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Domain.Tests.Identity.IdentityTestData;

namespace ControlPlane.Domain.Tests.Identity;

public sealed class AccessTokenServiceTests
{
    [Fact]
    public async Task An_issued_token_authenticates_its_user_and_only_its_hash_is_stored()
    {
        await using var host = await DomainHost.StartAsync();
        var alice = await CreateUserAsync(host, "alice", ControlPlaneRoles.DataScientist);
        var tokens = host.As<AccessTokenService>(Actor.Anonymous);

        var issued = await tokens.IssueWithPasswordAsync("alice", Password, "ci", 30);

        Assert.StartsWith(AccessTokenService.Prefix, issued.Token);
        Assert.Equal(host.Time.GetUtcNow().UtcDateTime.AddDays(30), issued.ExpiresAt);
        Assert.Equal(alice.Id, (await tokens.AuthenticateAsync(issued.Token))?.Id);
        var listed = Assert.Single(await host.As<AccessTokenService>(ActorFor(alice)).ListForCurrentUserAsync());
        Assert.Equal(issued.Token[..9], listed.DisplayPrefix);
        // SHA-256 of the secret, as hex: what an operator can recompute, never the secret.
        Assert.Equal(64, AccessTokenService.Hash(issued.Token).Length);
    }

    [Fact]
    public async Task A_token_stops_working_when_it_expires()
    {
        await using var host = await DomainHost.StartAsync();
        await CreateUserAsync(host, "alice");
        var tokens = host.As<AccessTokenService>(Actor.Anonymous);
        var issued = await tokens.IssueWithPasswordAsync("alice", Password, "short", 1);

        host.Time.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(await tokens.AuthenticateAsync(issued.Token));
        host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await tokens.AuthenticateAsync(issued.Token));
    }

    [Fact]
    public async Task A_revoked_token_and_a_disabled_users_token_are_refused()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var alice = await CreateUserAsync(host, "alice");
        var anonymous = host.As<AccessTokenService>(Actor.Anonymous);
        var first = await anonymous.IssueWithPasswordAsync("alice", Password, "one", null);
        var second = await anonymous.IssueWithPasswordAsync("alice", Password, "two", null);

        await host.As<AccessTokenService>(ActorFor(alice)).RevokeAsync(first.Id);
        Assert.Null(await anonymous.AuthenticateAsync(first.Token));
        Assert.NotNull(await anonymous.AuthenticateAsync(second.Token));

        await host.As<UserAdministration>(ActorFor(admin)).SetDisabledAsync(alice.Id, true);
        Assert.Null(await anonymous.AuthenticateAsync(second.Token));
    }

    [Fact]
    public async Task A_user_cannot_revoke_someone_elses_token()
    {
        await using var host = await DomainHost.StartAsync();
        await CreateUserAsync(host, "alice");
        var bob = await CreateUserAsync(host, "bob");
        var issued = await host.As<AccessTokenService>(Actor.Anonymous).IssueWithPasswordAsync("alice", Password, "mine", null);

        await Assert.ThrowsAsync<NotFoundException>(() => host.As<AccessTokenService>(ActorFor(bob)).RevokeAsync(issued.Id));
    }

    [Fact]
    public async Task Wrong_passwords_count_toward_lockout_and_lockout_blocks_the_right_password()
    {
        await using var host = await DomainHost.StartAsync();
        await CreateUserAsync(host, "alice");
        var tokens = host.As<AccessTokenService>(Actor.Anonymous);

        for (var i = 0; i < IdentityRules.MaxFailedAccessAttempts; i++)
        {
            var wrong = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
                tokens.IssueWithPasswordAsync("alice", "not the password", "ci", null));
            Assert.Contains("wrong", wrong.Message);
        }

        var locked = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
            tokens.IssueWithPasswordAsync("alice", Password, "ci", null));
        Assert.Equal(CredentialCheck.InvalidCredentials, locked.Message); // locked, but not told apart from a wrong password

        // ASP.NET Core Identity stamps lockouts with the system clock, not the injected TimeProvider.
        var users = host.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var alice = (await users.FindByNameAsync("alice"))!;
        var end = (await users.GetLockoutEndDateAsync(alice))!.Value;
        Assert.InRange(end - DateTimeOffset.UtcNow, IdentityRules.LockoutDuration - TimeSpan.FromMinutes(1), IdentityRules.LockoutDuration);

        await users.SetLockoutEndDateAsync(alice, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.NotNull(await tokens.IssueWithPasswordAsync("alice", Password, "ci", null));
        Assert.Equal(0, await users.GetAccessFailedCountAsync((await users.FindByNameAsync("alice"))!));
    }

    [Theory]
    [InlineData("", 30)]
    [InlineData("ci", 0)]
    [InlineData("ci", 366)]
    public async Task Token_requests_outside_the_rules_are_rejected_before_anything_is_stored(string name, int days)
    {
        await using var host = await DomainHost.StartAsync();
        var alice = await CreateUserAsync(host, "alice");
        var tokens = host.As<AccessTokenService>(ActorFor(alice));

        await Assert.ThrowsAsync<ValidationException>(() => tokens.CreateForCurrentUserAsync(name, days));

        Assert.Empty(await tokens.ListForCurrentUserAsync());
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        await using var host = await DomainHost.StartAsync();
        await CreateUserAsync(host, "alice");
        var tokens = host.As<AccessTokenService>(Actor.Anonymous);

        var unknown = await Assert.ThrowsAsync<AuthenticationFailedException>(() => tokens.IssueWithPasswordAsync("mallory", Password, "x", null));
        var wrong = await Assert.ThrowsAsync<AuthenticationFailedException>(() => tokens.IssueWithPasswordAsync("alice", "wrong password!", "x", null));

        Assert.Equal(wrong.Message, unknown.Message);
    }
}
