using Bunit;
using ControlPlane.Domain.Governance;
using ControlPlane.Web.Components.Pages.Admin;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The admin policy editor over the real policy service: a save is a new version; the service's validation shows per field.</summary>
public sealed class PolicyEditorTests : GovernanceComponentContext
{
    [Fact]
    public async Task Saving_the_global_policy_adds_a_version_with_its_reason()
    {
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#policy-approvals").Change("2");
        page.Find("[data-group=requester][data-role=Admin]").Change(false);
        page.Find("#policy-reason").Change("four eyes for every release");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=policy-history] [data-version='1']")));
        Assert.Contains("four eyes for every release", page.Find("[data-testid=policy-history]").TextContent);
        var saved = await Host.As<PromotionPolicies>(Admin).GetAsync(null);
        Assert.Equal((1, 2, "four eyes for every release"), (saved.Version, saved.Rules.RequiredApprovals, saved.Reason));
        Assert.Equal(["DataScientist"], saved.Rules.RequesterRoles);
    }

    [Fact]
    public async Task Validation_errors_show_at_their_fields_and_nothing_is_saved()
    {
        SignInAs(Admin);
        var page = Ctx.Render<PolicyAdmin>();
        page.WaitForElement("#save-policy");

        page.Find("#add-metric-gate").Click();
        page.Find("[data-testid=metric-gate] [data-field=metric]").Change("rocAuc");
        page.Find("[data-testid=metric-gate] [data-field=threshold]").Change("0.8");
        foreach (var role in new[] { "DataScientist", "Admin" })
            page.Find($"[data-group=requester][data-role={role}]").Change(false);
        page.Find("#policy-reason").Change("tighten");
        page.Find("#save-policy").Click();

        page.WaitForAssertion(() => Assert.Contains("need an evaluation dataset", page.Find("[data-testid=metric-gates-error]").TextContent));
        Assert.Contains("Requester roles are one or more", page.Find("[data-testid=role-error]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=policy-error]"));
        Assert.Empty(await Host.As<PromotionPolicies>(Admin).HistoryAsync(null));

        page.Find("#policy-dataset").Change("holdout");
        foreach (var role in new[] { "DataScientist" })
            page.Find($"[data-group=requester][data-role={role}]").Change(true);
        page.Find("#policy-reason").Change(" ");
        page.Find("#save-policy").Click();
        page.WaitForAssertion(() => Assert.Contains("Say why the policy changes", page.Markup));
        Assert.Empty(await Host.As<PromotionPolicies>(Admin).HistoryAsync(null));
    }
}
