using Bunit;
using ControlPlane.Web.Components.Pages.Governance;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The reviewer inbox and the full list of requests, paged on the server by the real service.</summary>
public sealed class PromotionListTests : GovernanceComponentContext
{
    [Fact]
    public async Task A_reviewer_opens_on_the_inbox_which_holds_pending_requests_only()
    {
        await ModelAsync("first");
        await ModelAsync("second");
        var pending = await RequestAsync("first", 1);
        await ApproveAsync((await RequestAsync("second", 1)).Id);
        SignInAs(Reviewer);

        var list = Ctx.Render<PromotionList>();

        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid=promotion-link]")));
        Assert.Equal($"/promotions/{pending.Id}", list.Find("[data-testid=promotion-link]").GetAttribute("href"));
        Assert.Contains("0/1", list.Find("[data-testid=promotion-list]").TextContent);

        list.FindAll(".mud-tab")[1].Click();
        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("[data-testid=promotion-link]").Count));
    }

    [Fact]
    public async Task The_requester_opens_on_all_requests_and_has_an_empty_inbox()
    {
        await ModelAsync("mine");
        await RequestAsync("mine", 1);
        SignInAs(Scientist);

        var list = Ctx.Render<PromotionList>();

        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid=promotion-link]")));
        Assert.Contains("Pending", list.Find("[data-testid=promotion-status]").TextContent);
    }
}
