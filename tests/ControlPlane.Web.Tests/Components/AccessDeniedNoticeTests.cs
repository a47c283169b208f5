using Bunit;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Components.Pages.Admin;
using ControlPlane.Web.Components.Pages.Audit;
using ControlPlane.Web.Components.Shared;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The access-denied notice names the role that would open the page, and the roles one has.</summary>
public sealed class AccessDeniedNoticeTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    public Task InitializeAsync()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.AddAuthorization().SetAuthorized("dana").SetRoles(ControlPlaneRoles.DataScientist);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Theory]
    [InlineData(typeof(ScheduleAdmin), "It needs the role Admin; you have DataScientist.")]
    [InlineData(typeof(AuditLog), "It needs the role ComplianceReviewer or Admin; you have DataScientist.")]
    public void A_page_refused_by_its_policy_names_the_roles_that_open_it(Type page, string expected)
    {
        var notice = _ctx.Render<AccessDeniedNotice>(p => p.Add(x => x.PageType, page));

        Assert.StartsWith(expected, Normalize(notice.Find("[data-testid=needed-roles]").TextContent));
    }

    [Fact]
    public void The_job_dashboard_refusal_names_the_admin_role()
    {
        var notice = _ctx.Render<AccessDeniedNotice>(p => p.Add(x => x.ReturnUrl, "/jobs/recurring"));

        Assert.StartsWith("It needs the role Admin;", Normalize(notice.Find("[data-testid=needed-roles]").TextContent));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
