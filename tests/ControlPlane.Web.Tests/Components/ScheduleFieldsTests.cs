using Bunit;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Schedules;
using ControlPlane.Web.Components.Pages.Schedules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The schedule fields of the monitor and spec editors: editable by whoever may set a schedule directly.</summary>
public sealed class ScheduleFieldsTests : IDisposable
{
    private readonly BunitContext _ctx = new();

    public ScheduleFieldsTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Theory]
    [InlineData(ControlPlaneRoles.DataScientist, true, true)]
    [InlineData(ControlPlaneRoles.Admin, true, false)]
    [InlineData(ControlPlaneRoles.DataScientist, false, false)]
    public void Are_read_only_with_a_hint_to_propose_for_everyone_but_admins_when_schedules_need_approval(string role, bool approval, bool readOnly)
    {
        _ctx.Services.AddSingleton(Options.Create(new ScheduleOptions { ProposalsNeedApproval = approval }));
        _ctx.AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var fields = _ctx.Render<ScheduleFields>(p => p.Add(x => x.Schedule, "0 6 * * 1").Add(x => x.TimeZone, "UTC").Add(x => x.IdPrefix, "monitor"));

        var cron = fields.Find("#monitor-schedule");
        Assert.Equal("0 6 * * 1", cron.GetAttribute("value"));
        Assert.Equal(readOnly, cron.HasAttribute("readonly"));
        Assert.Equal(readOnly, fields.Markup.Contains("use Propose schedule on its page", StringComparison.Ordinal));
    }

    public void Dispose() => _ctx.Dispose();
}
