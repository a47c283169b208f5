using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Domain.Tests.Identity.IdentityTestData;

namespace ControlPlane.Domain.Tests.Audit;

public sealed class AuditCaptureTests
{
    [Fact]
    public async Task Creating_a_user_is_one_event_with_every_field_and_role_and_no_secret()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var before = await CountAsync(host);

        NewUser request = new("grace", "grace@example.test", "a very secret passphrase", [ControlPlaneRoles.DataScientist]);
        var users = host.As<UserAdministration>(ActorFor(admin));
        UserSummary created;
        using (AuditAmbient.UseOrigin(new AuditOrigin(admin.Id, admin.UserName, "corr-42", "10.1.2.3")))
            created = await users.CreateAsync(request);

        var events = await EventsAfterAsync(host, before);
        var e = Assert.Single(events);
        Assert.Equal(AuditActions.UserCreated, e.Action);
        Assert.Equal(("user", created.Id), (e.EntityType, e.EntityId));
        Assert.Equal((admin.Id, "root", "corr-42", "10.1.2.3"), (e.ActorId, e.ActorName, e.CorrelationId, e.ClientIp));
        Assert.Equal(AuditClock.UtcNow(host.Time), e.OccurredAtUtc);
        Assert.Equal(0, e.OccurredAtUtc.Ticks % 10);
        var changes = AuditChange.FromJson(e.Changes);
        Assert.Contains(changes, c => c is { EntityType: "user", Field: "Email", Old: null, New: "grace@example.test" });
        Assert.Contains(changes, c => c is { EntityType: "user", Field: "IsDisabled", New: "false" });
        Assert.Contains(changes, c => c is { EntityType: "user", Field: "PasswordHash", New: AuditChange.Redacted });
        Assert.Contains(changes, c => c.EntityType == "userRole" && c.Field == "RoleId");
        Assert.DoesNotContain(changes, c => c.Field is "SecurityStamp" or "ConcurrencyStamp");
        await AssertNowhereInAuditAsync(host, "a very secret passphrase");
    }

    [Fact]
    public async Task Updates_record_old_and_new_values_of_changed_fields_only()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var bob = await CreateUserAsync(host, "bob", ControlPlaneRoles.DataScientist);
        var before = await CountAsync(host);

        await host.As<UserAdministration>(ActorFor(admin)).SetDisabledAsync(bob.Id, true);

        var e = Assert.Single(await EventsAfterAsync(host, before));
        Assert.Equal(AuditActions.UserDisabled, e.Action);
        var change = Assert.Single(AuditChange.FromJson(e.Changes));
        Assert.Equal(new AuditChange("user", bob.Id, "IsDisabled", "false", "true"), change);
    }

    [Fact]
    public async Task Token_secrets_never_reach_the_audit_trail()
    {
        await using var host = await DomainHost.StartAsync();
        var alice = await CreateUserAsync(host, "alice");
        var before = await CountAsync(host);

        var issued = await host.As<AccessTokenService>(Actor.Anonymous).IssueWithPasswordAsync("alice", Password, "ci", 30);
        await host.As<AccessTokenService>(ActorFor(alice)).RevokeAsync(issued.Id);

        var events = await EventsAfterAsync(host, before);
        Assert.Equal([AuditActions.TokenCreated, AuditActions.TokenRevoked], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("alice", e.ActorName));
        Assert.Contains(AuditChange.FromJson(events[0].Changes), c => c is { Field: "TokenHash", New: AuditChange.Redacted });
        await AssertNowhereInAuditAsync(host, issued.Token);
        await AssertNowhereInAuditAsync(host, AccessTokenService.Hash(issued.Token));
        await AssertNowhereInAuditAsync(host, Password);
    }

    [Fact]
    public async Task Failed_sign_ins_are_audited_with_the_name_of_a_real_user_only()
    {
        await using var host = await DomainHost.StartAsync();
        await CreateUserAsync(host, "alice");
        var before = await CountAsync(host);
        var tokens = host.As<AccessTokenService>(Actor.Anonymous);

        await Assert.ThrowsAsync<AuthenticationFailedException>(() => tokens.IssueWithPasswordAsync("alice", "wrong password!", "x", null));
        // Typed into the user name field by mistake: it must not be kept.
        await Assert.ThrowsAsync<AuthenticationFailedException>(() => tokens.IssueWithPasswordAsync("Hunter2-my-password", "wrong password!", "x", null));

        var failures = (await EventsAfterAsync(host, before)).Where(e => e.Action == AuditActions.LoginFailed).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("wrong password (as 'alice')", failures[0].Reason);
        Assert.Equal("unknown user", failures[1].Reason);
        await AssertNowhereInAuditAsync(host, "wrong password!");
        await AssertNowhereInAuditAsync(host, "Hunter2-my-password");
    }

    [Fact]
    public async Task Tag_values_are_readable_while_secrets_stay_redacted()
    {
        await using var host = await DomainHost.StartAsync();
        var admin = await CreateUserAsync(host, "root", ControlPlaneRoles.Admin);
        var before = await CountAsync(host);

        await host.As<ControlPlane.Domain.Datasets.DatasetCatalog>(ActorFor(admin)).CreateAsync("tagged", null, new Dictionary<string, string> { ["team"] = "fraud-ops" });

        var changes = (await EventsAfterAsync(host, before)).SelectMany(e => AuditChange.FromJson(e.Changes)).ToList();
        Assert.Contains(changes, c => c is { EntityType: "datasetTag", Field: "Value", New: "fraud-ops" });
    }

    [Fact]
    public async Task A_reason_longer_than_its_column_is_cut_not_refused()
    {
        await using var host = await DomainHost.StartAsync();
        var log = host.Services.GetRequiredService<AuditLog>();

        await log.RecordAsync(AuditActions.AccessDenied, reason: "GET /" + new string('a', 5000));

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var e = await db.AuditEvents.OrderByDescending(x => x.Sequence).FirstAsync();
        Assert.Equal(AuditOrigin.MaxReasonLength, e.Reason!.Length);
        Assert.EndsWith("…", e.Reason);
    }

    [Fact]
    public async Task A_failed_save_writes_no_event_and_leaves_no_gap()
    {
        await using var host = await DomainHost.StartAsync();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var log = host.Services.GetRequiredService<AuditLog>();
        await log.RecordAsync("test.first");

        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.PersonalAccessTokens.Add(new PersonalAccessToken
            {
                Id = Guid.NewGuid(), UserId = "no-such-user", Name = "t", TokenHash = new string('c', 64), DisplayPrefix = "cpat_",
            });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        await log.RecordAsync("test.second");

        await using var check = await contexts.CreateDbContextAsync();
        Assert.Equal([AuditActions.AuditKeyRotated, "test.first", "test.second"], await check.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.Equal([1L, 2L, 3L], await check.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        Assert.True((await host.VerifyAuditAsync()).Intact);
    }

    private static async Task<long> CountAsync(DomainHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
    }

    private static async Task<List<AuditEvent>> EventsAfterAsync(DomainHost host, long sequence)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence).ToListAsync();
    }

    private static async Task AssertNowhereInAuditAsync(DomainHost host, string secret)
    {
        foreach (var e in await EventsAfterAsync(host, 0))
            Assert.DoesNotContain(secret, string.Join('|', e.ActorName, e.Action, e.EntityId, e.Changes, e.Reason, e.CorrelationId));
    }
}
