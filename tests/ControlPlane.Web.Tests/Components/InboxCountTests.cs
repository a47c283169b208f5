using Bunit;
using ControlPlane.Web.Components.Pages.Governance;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The navigation's inbox badge follows requests arriving and being decided, without a reload.</summary>
public sealed class InboxCountTests : GovernanceComponentContext
{
    [Fact]
    public async Task The_badge_counts_again_when_a_request_arrives_and_when_one_is_decided()
    {
        await ModelAsync("first");
        await ModelAsync("second");
        await RequestAsync("first", 1);
        SignInAs(Reviewer);

        var badge = Ctx.Render<InboxCount>();
        badge.WaitForAssertion(() => Assert.Equal("1", badge.Find("[data-testid=inbox-count]").TextContent.Trim()));

        Host.Time.Advance(TimeSpan.FromSeconds(1)); // the feed tells notifications apart by their time
        var second = await RequestAsync("second", 1);
        await Live.TickAsync();
        badge.WaitForAssertion(() => Assert.Equal("2", badge.Find("[data-testid=inbox-count]").TextContent.Trim()));

        Host.Time.Advance(TimeSpan.FromSeconds(1));
        await ApproveAsync(second.Id);
        await Live.TickAsync();
        badge.WaitForAssertion(() => Assert.Equal("1", badge.Find("[data-testid=inbox-count]").TextContent.Trim()));
    }

    [Fact]
    public async Task The_requester_has_no_badge()
    {
        await ModelAsync("mine");
        await RequestAsync("mine", 1);
        SignInAs(Scientist);

        var badge = Ctx.Render<InboxCount>();

        Assert.Empty(badge.FindAll("[data-testid=inbox-count]"));
    }
}
