using System.Net.Http.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Oidc;
using ControlPlane.Web.Apis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.SingleSignOn;

/// <summary>
/// Just-in-time users from the identity provider: created at the first sign-in, linked by issuer and subject (never by
/// e-mail), roles recomputed from the groups at every sign-in, nobody created whose groups grant no role, and disabled
/// users kept out. The browser flow through a real provider is in the end-to-end tests.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class OidcSignInTests(ControlPlaneWebFactory app)
{
    private OidcSignIns SignIns => app.Services.GetRequiredService<OidcSignIns>();

    private async Task MapAsync(params (string Group, string Role)[] mappings)
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        (await admin.PutAsJsonAsync("/api/v1/admin/oidc/group-mappings",
            new GroupMappingsRequest(mappings.Select(m => new GroupMappingItem(m.Group, m.Role)).ToList()))).EnsureSuccessStatusCode();
    }

    private static ExternalIdentity Person(string subject, params string[] groups) =>
        new(SsoTestData.Issuer, subject, $"p{subject[..8]}", $"{subject}@idp.example.test", groups);

    [Fact]
    public async Task The_first_sign_in_creates_the_user_linked_by_issuer_and_subject_with_the_mapped_roles()
    {
        await MapAsync(("sso-reviewers", ControlPlaneRoles.ComplianceReviewer), ("sso-scientists", ControlPlaneRoles.DataScientist));
        var subject = Guid.NewGuid().ToString("N");

        var user = await SignIns.SignInAsync(Person(subject, "sso-reviewers", "unmapped"));

        Assert.Equal([ControlPlaneRoles.ComplianceReviewer], await app.RolesOfAsync(user.Id));
        var login = await app.ReadAsync(db => db.UserLogins.SingleAsync(l => l.UserId == user.Id));
        Assert.Equal((SsoTestData.Issuer, subject), (login.LoginProvider, login.ProviderKey));
        Assert.Null(user.PasswordHash); // signs in only at the provider
        var created = Assert.Single(await app.EventsAsync(AuditActions.UserCreated, user.Id), e => e.Reason is not null);
        Assert.Contains($"first sign-in through {SsoTestData.Issuer} (subject {subject}, groups sso-reviewers, unmapped)", created.Reason);
        Assert.Single(await app.EventsAsync(AuditActions.LoginSucceeded, user.Id));

        // The second sign-in finds the same user, however the provider now spells the name and e-mail.
        var again = await SignIns.SignInAsync(Person(subject, "sso-reviewers") with { PreferredUserName = "renamed", Email = "new@idp.example.test" });
        Assert.Equal(user.Id, again.Id);
    }

    [Fact]
    public async Task A_local_account_with_the_same_e_mail_and_name_is_never_taken_over()
    {
        await MapAsync(("sso-admins", ControlPlaneRoles.Admin));
        var (localName, _) = await Governance.GovernanceClient.UserAsync(app, ControlPlaneRoles.DataScientist);
        var local = await app.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == localName));

        var user = await SignIns.SignInAsync(new ExternalIdentity(SsoTestData.Issuer, Guid.NewGuid().ToString("N"), localName, local.Email, ["sso-admins"]));

        Assert.NotEqual(local.Id, user.Id);
        Assert.Equal($"{localName}-2", user.UserName);
        Assert.EndsWith("@users.invalid", user.Email);
        Assert.Equal([ControlPlaneRoles.DataScientist], await app.RolesOfAsync(local.Id));
        Assert.Empty(await app.ReadAsync(db => db.UserLogins.Where(l => l.UserId == local.Id).ToListAsync()));
    }

    [Fact]
    public async Task Roles_are_recomputed_at_every_sign_in_and_a_removed_group_removes_its_role()
    {
        await MapAsync(("sso-reviewers", ControlPlaneRoles.ComplianceReviewer), ("sso-scientists", ControlPlaneRoles.DataScientist));
        var subject = Guid.NewGuid().ToString("N");
        var user = await SignIns.SignInAsync(Person(subject, "sso-reviewers", "sso-scientists"));
        Assert.Equal([ControlPlaneRoles.ComplianceReviewer, ControlPlaneRoles.DataScientist], await app.RolesOfAsync(user.Id));
        var stamp = user.SecurityStamp;

        await SignIns.SignInAsync(Person(subject, "sso-scientists"));

        Assert.Equal([ControlPlaneRoles.DataScientist], await app.RolesOfAsync(user.Id));
        var changed = Assert.Single(await app.EventsAsync(AuditActions.UserRolesChanged, user.Id));
        Assert.Contains("ComplianceReviewer, DataScientist → DataScientist", changed.Reason);
        // Open sessions of the user re-validate with the new roles.
        Assert.NotEqual(stamp, await app.ReadAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.SecurityStamp).SingleAsync()));

        // The same groups again: no change, no event.
        await SignIns.SignInAsync(Person(subject, "sso-scientists"));
        Assert.Single(await app.EventsAsync(AuditActions.UserRolesChanged, user.Id));

        // A mapping the admin removes takes the role away at the next sign-in, and then the user is refused.
        await MapAsync(("sso-reviewers", ControlPlaneRoles.ComplianceReviewer));
        await Assert.ThrowsAsync<ForbiddenException>(() => SignIns.SignInAsync(Person(subject, "sso-scientists")));
        Assert.Empty(await app.RolesOfAsync(user.Id));
        Assert.Equal(2, (await app.EventsAsync(AuditActions.UserRolesChanged, user.Id)).Count);
        Assert.Single(await app.EventsAsync(AuditActions.SignInDenied, user.Id));
    }

    [Fact]
    public async Task Groups_that_grant_no_role_create_nobody_and_the_refusal_is_audited()
    {
        await MapAsync(("sso-admins", ControlPlaneRoles.Admin));
        var subject = Guid.NewGuid().ToString("N");
        var users = await app.ReadAsync(db => db.Users.CountAsync());

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => SignIns.SignInAsync(Person(subject, "nobody")));

        Assert.Contains("grant no role", refused.Message);
        Assert.Equal(users, await app.ReadAsync(db => db.Users.CountAsync()));
        Assert.False(await app.ReadAsync(db => db.UserLogins.AnyAsync(l => l.ProviderKey == subject)));
        var denied = await app.EventsAsync(AuditActions.SignInDenied);
        Assert.Contains(denied, e => e.Reason == $"{SsoTestData.Issuer} subject {subject}: groups nobody grant no role");
    }

    [Fact]
    public async Task A_disabled_user_stays_out_although_the_provider_says_yes()
    {
        await MapAsync(("sso-admins", ControlPlaneRoles.Admin));
        var subject = Guid.NewGuid().ToString("N");
        var user = await SignIns.SignInAsync(Person(subject, "sso-admins"));
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        (await admin.PostAsync($"/api/v1/admin/users/{user.Id}/disable", null)).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<ForbiddenException>(() => SignIns.SignInAsync(Person(subject, "sso-admins")));

        Assert.Contains(await app.EventsAsync(AuditActions.LoginFailed, user.Id), e => e.Reason!.StartsWith("account disabled", StringComparison.Ordinal));
        Assert.True(await app.ReadAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.IsDisabled).SingleAsync()));
    }
}
