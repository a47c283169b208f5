using Bunit;
using ControlPlane.Domain.Audit;
using ControlPlane.Web.Components.Shared;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

public sealed class AuditVerificationAlertTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public AuditVerificationAlertTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    [Theory]
    [InlineData(AuditVerification.IntactState, "mud-alert-text-success", "Intact: 12 events")]
    [InlineData(AuditVerification.UnanchoredState, "mud-alert-text-error", "Unanchored")]
    [InlineData(AuditVerification.BrokenState, "mud-alert-text-error", "Broken at event #7")]
    public void Only_an_intact_chain_is_green_and_an_unanchored_one_is_red(string state, string css, string text)
    {
        var verification = new AuditVerification(state, 12, state == AuditVerification.BrokenState ? 7 : null,
            state == AuditVerification.IntactState ? null : "there is no digest file", 12, new string('a', 64), 10);

        var alert = _ctx.Render<AuditVerificationAlert>(p => p.Add(a => a.Verification, verification));

        var root = alert.Find("[data-testid=verify-result]");
        Assert.Equal(state, root.GetAttribute("data-state"));
        Assert.Contains(css, root.ClassName);
        Assert.Contains(text, root.TextContent);
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
