using System.Net;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// An open page keeps the user it was opened with: the minute check that revokes it compares that principal with
/// the stored user. Disabled, signed out everywhere by an admin, or given other roles, and it no longer passes.
/// </summary>
public sealed class OpenPageRevalidationTests : IAsyncLifetime
{
    private static readonly Actor Admin = new("admin-id", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private DomainHost _host = null!;

    public async Task InitializeAsync() => _host = await DomainHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("sign out everywhere")]
    [InlineData("disable")]
    [InlineData("change roles")]
    public async Task A_page_opened_before_the_change_no_longer_passes_after_it(string change)
    {
        var users = _host.As<UserAdministration>(Admin);
        var bob = await users.CreateAsync(new NewUser($"bob-{Guid.NewGuid():N}"[..12], $"{Guid.NewGuid():N}@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        var opened = await PrincipalOfAsync(bob.Id);
        Assert.True(await IsCurrentAsync(opened));

        _ = change switch
        {
            "sign out everywhere" => await users.SignOutEverywhereAsync(bob.Id),
            "disable" => await users.SetDisabledAsync(bob.Id, true),
            _ => await users.SetRolesAsync(bob.Id, [ControlPlaneRoles.ComplianceReviewer]),
        };

        Assert.False(await IsCurrentAsync(opened));
        Assert.Equal(change != "disable", await IsCurrentAsync(await PrincipalOfAsync(bob.Id))); // a fresh sign-in works unless disabled
    }

    [Fact]
    public async Task An_open_page_idle_past_the_timeout_no_longer_passes_and_a_click_keeps_it_alive()
    {
        var bob = await _host.As<UserAdministration>(Admin).CreateAsync(new NewUser($"bob-{Guid.NewGuid():N}"[..12], $"{Guid.NewGuid():N}@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        var state = new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(await PrincipalOfAsync(bob.Id));
        var activity = new CircuitActivity(_host.Time);
        var provider = new RevalidatingIdentityStateProvider(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            _host.Services.GetRequiredService<IServiceScopeFactory>(), _host.Services.GetRequiredService<IOptions<IdentityOptions>>(),
            Options.Create(new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(30) }), activity, _host.Time);

        _host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await provider.IsValidAsync(state));
        activity.Touch(); // a click on the page
        _host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await provider.IsValidAsync(state));
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await provider.IsValidAsync(state));
    }

    [Fact]
    public async Task Signing_a_user_out_everywhere_is_for_admins_and_audited()
    {
        var users = _host.As<UserAdministration>(Admin);
        var bob = await users.CreateAsync(new NewUser($"bob-{Guid.NewGuid():N}"[..12], $"{Guid.NewGuid():N}@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        var scientist = new Actor(bob.Id, bob.UserName, new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<UserAdministration>(scientist).SignOutEverywhereAsync(bob.Id));
        await users.SignOutEverywhereAsync(bob.Id);

        var history = await _host.As<AuditTrail>(Admin).HistoryAsync("user", bob.Id);
        Assert.Equal(AuditActions.UserSignedOut, history[^1].Action);
        Assert.Equal("ada", history[^1].ActorName);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalOfAsync(string userId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ControlPlaneUser>>();
        var principal = await factory.CreateAsync((await users.FindByIdAsync(userId))!);
        // As a sign-in does (Auth/SessionCookieEvents): the page's principal carries its server-side session.
        var session = await scope.ServiceProvider.GetRequiredService<ControlPlane.Domain.Identity.Sessions.UserSessions>().StartAsync(userId, null, null);
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(new System.Security.Claims.Claim(Actor.SessionClaim, session.ToString()));
        return principal;
    }

    private Task<bool> IsCurrentAsync(System.Security.Claims.ClaimsPrincipal principal) =>
        RevalidatingIdentityStateProvider.IsCurrentAsync(_host.Services.GetRequiredService<IServiceScopeFactory>(),
            _host.Services.GetRequiredService<IOptions<IdentityOptions>>().Value, principal);
}
