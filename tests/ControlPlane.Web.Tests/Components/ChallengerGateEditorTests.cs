using Bunit;
using ControlPlane.Domain.Governance;
using ControlPlane.Web.Components.Pages.Admin;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The challenger gate in the policy editor, over the real policy service.</summary>
public sealed class ChallengerGateEditorTests : GovernanceComponentContext
{
    [Fact]
    public async Task The_editor_saves_the_challenger_gate_and_unticking_it_removes_it()
    {
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#policy-challenger").Change(true);
        page.WaitForElement("#policy-challenger-alpha").Change("0.01");
        page.Find("#policy-challenger-min").Change("500");
        page.Find("#policy-reason").Change("live evidence first");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=policy-history] [data-version='1']")));
        Assert.Equal(new ChallengerGate("accuracy", 0.01, 500), (await Host.As<PromotionPolicies>(Admin).GetAsync(null)).Rules.ChallengerNotWorse);

        page.WaitForElement("#policy-challenger").Change(false);
        page.Find("#policy-reason").Change("no live comparison needed");
        page.Find("#save-policy").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=policy-history] [data-version='2']")));
        Assert.Null((await Host.As<PromotionPolicies>(Admin).GetAsync(null)).Rules.ChallengerNotWorse);
    }

    [Theory]
    [InlineData("0.5", "alpha is above 0 and below 0.5")]
    [InlineData("", "alpha is above 0 and below 0.5")]
    public async Task A_bad_alpha_is_explained_and_nothing_is_saved(string alpha, string message)
    {
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#policy-challenger").Change(true);
        page.WaitForElement("#policy-challenger-alpha").Change(alpha);
        page.Find("#policy-reason").Change("try it");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.Contains(message, page.Find("[data-testid=policy-challenger-error]").TextContent));
        Assert.Empty(await Host.As<PromotionPolicies>(Admin).HistoryAsync(null));
    }
}
