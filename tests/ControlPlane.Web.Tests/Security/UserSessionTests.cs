using System.Security.Claims;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Sessions;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Server-side sessions on the domain host's frozen clock: idle sessions are neither valid nor listed, the last-seen
/// time is written at most once a minute, an admin's sign-out everywhere revokes them all, and an open page whose
/// session is revoked fails its next minute check.
/// </summary>
public sealed class UserSessionTests : IAsyncLifetime
{
    private static readonly Actor Admin = new("admin-id", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private DomainHost _host = null!;

    public async Task InitializeAsync() => _host = await DomainHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Actor> UserAsync()
    {
        var user = await _host.As<UserAdministration>(Admin).CreateAsync(new NewUser($"u-{Guid.NewGuid():N}"[..12], $"{Guid.NewGuid():N}@example.test",
            "correct horse battery", [ControlPlaneRoles.DataScientist]));
        return new Actor(user.Id, user.UserName, new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    }

    private UserSessions Sessions(Actor actor) => _host.As<UserSessions>(actor);

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task An_open_page_keeps_its_session_alive_with_clicks_and_a_request_after_the_idle_time_is_refused()
    {
        var bob = await UserAsync();
        var id = await Sessions(bob).StartAsync(bob.UserId!, null, null);

        _host.Time.Advance(TimeSpan.FromMinutes(25));
        var click = Now;
        _host.Time.Advance(TimeSpan.FromMinutes(25)); // 50 minutes after sign-in, 25 after the click
        Assert.True(await Sessions(bob).IsActiveAsync(id, bob.UserId!, click, Idle));
        Assert.Equal(click, await LastSeenAsync(id));
        _host.Time.Advance(TimeSpan.FromMinutes(6)); // 31 minutes after the click, and no request since
        Assert.False(await Sessions(bob).IsActiveAsync(id, bob.UserId!, null, Idle));
    }

    [Fact]
    public async Task An_idle_session_is_neither_valid_nor_listed_while_a_used_one_is_both()
    {
        var bob = await UserAsync();
        var idle = await Sessions(bob).StartAsync(bob.UserId!, "Firefox", "10.0.0.1");
        var used = await Sessions(bob).StartAsync(bob.UserId!, "Chromium", "10.0.0.2");

        _host.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await Sessions(bob).IsActiveAsync(used, bob.UserId!, null, Idle));
        _host.Time.Advance(TimeSpan.FromMinutes(11)); // 31 minutes after the first was last seen, 11 after the second

        Assert.False(await Sessions(bob).IsActiveAsync(idle, bob.UserId!, null, Idle));
        var listed = await Sessions(bob with { SessionId = used }).ListMineAsync(Idle);
        var only = Assert.Single(listed);
        Assert.Equal((used, "Chromium", "10.0.0.2", true), (only.Id, only.UserAgent, only.IpAddress, only.Current));
    }

    [Fact]
    public async Task The_last_seen_time_is_written_at_most_once_a_minute()
    {
        var bob = await UserAsync();
        var id = await Sessions(bob).StartAsync(bob.UserId!, null, null);
        var started = Now;

        _host.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await Sessions(bob).IsActiveAsync(id, bob.UserId!, null, Idle));
        Assert.Equal(started, await LastSeenAsync(id));
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await Sessions(bob).IsActiveAsync(id, bob.UserId!, null, Idle));
        Assert.Equal(started.AddSeconds(61), await LastSeenAsync(id));
    }

    [Fact]
    public async Task A_session_is_valid_only_for_its_own_user()
    {
        var bob = await UserAsync();
        var eve = await UserAsync();
        var id = await Sessions(bob).StartAsync(bob.UserId!, null, null);
        Assert.False(await Sessions(eve).IsActiveAsync(id, eve.UserId!, null, Idle));
        Assert.True(await Sessions(bob).IsActiveAsync(id, bob.UserId!, null, Idle));
    }

    [Fact]
    public async Task An_admins_sign_out_everywhere_revokes_every_session_of_the_user_and_no_other()
    {
        var bob = await UserAsync();
        var eve = await UserAsync();
        var first = await Sessions(bob).StartAsync(bob.UserId!, null, null);
        var second = await Sessions(bob).StartAsync(bob.UserId!, null, null);
        var hers = await Sessions(eve).StartAsync(eve.UserId!, null, null);

        await _host.As<UserAdministration>(Admin).SignOutEverywhereAsync(bob.UserId!);

        Assert.False(await Sessions(bob).IsActiveAsync(first, bob.UserId!, null, Idle));
        Assert.False(await Sessions(bob).IsActiveAsync(second, bob.UserId!, null, Idle));
        Assert.Empty(await Sessions(bob).ListMineAsync(Idle));
        Assert.True(await Sessions(eve).IsActiveAsync(hers, eve.UserId!, null, Idle));
    }

    [Fact]
    public async Task An_open_page_whose_session_is_revoked_fails_its_next_check_and_the_other_page_passes()
    {
        var bob = await UserAsync();
        var kept = await PageAsync(bob);
        var revoked = await PageAsync(bob);
        Assert.True(await kept.Provider.IsValidAsync(kept.State));
        Assert.True(await revoked.Provider.IsValidAsync(revoked.State));

        await Sessions(bob with { SessionId = kept.Session }).RevokeMineAsync(revoked.Session);

        Assert.False(await revoked.Provider.IsValidAsync(revoked.State));
        Assert.True(await kept.Provider.IsValidAsync(kept.State));
    }

    [Fact]
    public async Task Another_users_session_is_not_found_rather_than_forbidden_and_is_left_alone()
    {
        var bob = await UserAsync();
        var eve = await UserAsync();
        var his = await Sessions(bob).StartAsync(bob.UserId!, null, null);

        await Assert.ThrowsAsync<NotFoundException>(() => Sessions(eve).RevokeMineAsync(his));
        await Assert.ThrowsAsync<NotFoundException>(() => Sessions(eve).RevokeMineAsync(Guid.NewGuid()));
        Assert.Empty(await Sessions(eve).ListMineAsync(Idle));
        Assert.True(await Sessions(bob).IsActiveAsync(his, bob.UserId!, null, Idle));
    }

    /// <summary>An open page as the circuit holds it: a principal with its session, and the minute check.</summary>
    private async Task<(Guid Session, AuthenticationState State, RevalidatingIdentityStateProvider Provider)> PageAsync(Actor user)
    {
        var session = await Sessions(user).StartAsync(user.UserId!, "Chromium", null);
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ControlPlaneUser>>().CreateAsync((await users.FindByIdAsync(user.UserId!))!);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(Actor.SessionClaim, session.ToString()));
        var provider = new RevalidatingIdentityStateProvider(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            _host.Services.GetRequiredService<IServiceScopeFactory>(), _host.Services.GetRequiredService<IOptions<IdentityOptions>>(),
            Options.Create(new SessionOptions { IdleTimeout = Idle }), new CircuitActivity(_host.Time), _host.Time);
        return (session, new AuthenticationState(principal), provider);
    }

    private async Task<DateTime> LastSeenAsync(Guid id)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.UserSessions.Where(s => s.Id == id).Select(s => s.LastSeenAtUtc).SingleAsync();
    }
}
