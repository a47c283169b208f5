using Bunit;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using ControlPlane.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The timeline component on the real audit service and a real SQLite file.</summary>
public sealed class AuditTimelineTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private DomainHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    [Fact]
    public async Task It_lists_an_entitys_events_oldest_first_with_their_changes()
    {
        var admin = new Actor("admin-id", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
        var users = _host.As<UserAdministration>(admin);
        var bob = await users.CreateAsync(new NewUser("bob", "bob@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        await users.SetRolesAsync(bob.Id, [ControlPlaneRoles.ComplianceReviewer]);
        _ctx.Services.AddSingleton(_host.As<AuditTrail>(admin));

        var timeline = _ctx.Render<AuditTimeline>(p => p.Add(t => t.EntityType, "user").Add(t => t.EntityId, bob.Id));

        timeline.WaitForAssertion(() =>
            Assert.Equal([AuditActions.UserCreated, AuditActions.UserRolesChanged],
                timeline.FindAll("[data-testid=timeline-action]").Select(e => e.TextContent)));
        Assert.Contains("bob@example.test", timeline.Markup);
        Assert.Contains("userRole.RoleId", timeline.Markup);
    }

    [Fact]
    public void It_says_so_when_there_is_no_history_and_refuses_data_scientists()
    {
        var scientist = new Actor("ds", "ds", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
        _ctx.Services.AddSingleton(_host.As<AuditTrail>(scientist));

        var timeline = _ctx.Render<AuditTimeline>(p => p.Add(t => t.EntityType, "user").Add(t => t.EntityId, "nobody"));

        timeline.WaitForAssertion(() => Assert.Contains("needs the role Admin or ComplianceReviewer", timeline.Markup));
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _host.DisposeAsync();
    }
}
