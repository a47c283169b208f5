using System.Text;
using Bunit;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Web.Components.Pages.Governance;
using MudBlazor;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The promotion request page: checklist, evidence and chart, eligibility, and the signing dialog over the real password check.</summary>
public sealed class PromotionPageTests : GovernanceComponentContext
{
    [Fact]
    public async Task A_reviewer_sees_the_gates_and_signs_in_the_dialog_which_asks_for_reason_and_password_first()
    {
        await ModelAsync("scorer");
        var request = await RequestAsync("scorer", 1);
        SignInAs(Reviewer);
        var dialogs = Ctx.Render<MudDialogProvider>();
        var page = Ctx.Render<PromotionPage>(p => p.Add(x => x.Id, request.Id));

        page.WaitForAssertion(() => Assert.Equal(request.Gates.Count, page.FindAll("[data-testid=gate]").Count));
        Assert.All(page.FindAll("[data-testid=gate]"), g => Assert.Equal("true", g.GetAttribute("data-passed")));
        Assert.Contains(request.Evidence.ArtifactSha256, page.Find("[data-testid=artifact-sha]").TextContent);
        Assert.Contains(request.EvidenceHash, page.Find("[data-testid=evidence-hash]").TextContent);
        Assert.Contains("risk-team", page.Find("[data-testid=evidence-card]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=eligibility]"));

        page.Find("#approve").Click();
        dialogs.WaitForElement("#sign-submit").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("State the reason", dialogs.Markup));
        Assert.Contains("Type your password", dialogs.Markup);
        Assert.Equal("password", dialogs.Find("#sign-password").GetAttribute("type"));

        dialogs.Find("#sign-reason").Change("card and hashes checked");
        dialogs.Find("#sign-password").Change("not my password");
        dialogs.Find("#sign-submit").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("The password is wrong", dialogs.Find("[data-testid=sign-error]").TextContent));
        Assert.True(string.IsNullOrEmpty(dialogs.Find("#sign-password").GetAttribute("value")), "the password is not kept after a submit");

        dialogs.Find("#sign-password").Change(Password);
        dialogs.Find("#sign-submit").Click();

        page.WaitForAssertion(() => Assert.Equal("Approved", page.Find("[data-testid=promotion-status]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        var signature = page.Find("[data-testid=signature]");
        Assert.Equal("rita", signature.QuerySelector("[data-testid=signer]")!.TextContent);
        Assert.Contains("card and hashes checked", signature.TextContent);
        Assert.Contains("UTC", signature.TextContent);
        Assert.Empty(page.FindAll("#approve"));
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#sign-submit")));
    }

    [Fact]
    public async Task The_requester_is_told_why_they_cannot_sign_and_may_withdraw_instead()
    {
        await ModelAsync("own");
        var request = await RequestAsync("own", 1);
        SignInAs(Scientist);

        var page = Ctx.Render<PromotionPage>(p => p.Add(x => x.Id, request.Id));

        page.WaitForAssertion(() => Assert.Contains("needs the role ComplianceReviewer", page.Find("[data-testid=eligibility]").TextContent));
        Assert.Empty(page.FindAll("#approve"));
        Assert.Empty(page.FindAll("#reject"));
        Assert.NotEmpty(page.FindAll("#withdraw"));
        Assert.Contains("beats the champion", page.Find("[data-testid=justification]").TextContent);
    }

    [Fact]
    public async Task The_metrics_are_compared_with_the_production_version_in_a_table_and_a_chart()
    {
        await ModelAsync("ranked", versions: 2);
        await Datasets.CreateAsync("holdout", null, null);
        await Datasets.AddVersionAsync("holdout", new MemoryStream(Encoding.UTF8.GetBytes("f1,label\n1,1\n0,0\n")), "h.csv", null, null);
        await Host.As<PromotionPolicies>(Admin).SaveAsync("ranked", new PolicySaveRequest(new PolicyRules
        {
            EvaluationDataset = "holdout", MetricGates = [new MetricThreshold("accuracy", null, 0.01, null, true)],
        }, "compare with production"));
        await EvaluatedAsync("ranked", 1, "holdout", new Dictionary<string, double> { ["accuracy"] = 0.8, ["f1"] = 0.7 });
        await ApproveAsync((await RequestAsync("ranked", 1)).Id);
        await EvaluatedAsync("ranked", 2, "holdout", new Dictionary<string, double> { ["accuracy"] = 0.9, ["f1"] = 0.75 });
        var request = await RequestAsync("ranked", 2);
        SignInAs(Reviewer);

        var page = Ctx.Render<PromotionPage>(p => p.Add(x => x.Id, request.Id));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=metric-comparison]")));
        var accuracy = page.Find("[data-testid=metric-comparison] [data-metric=accuracy]").TextContent;
        Assert.Contains("0.9", accuracy);
        Assert.Contains("0.8", accuracy);
        Assert.Contains("+0.1", accuracy);
        Assert.Contains("Baseline v1", page.Find("[data-testid=metric-comparison]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=metric-chart] [id^=bars-]"));
        Assert.Equal("true", page.Find("[data-gate='metric:accuracy']").GetAttribute("data-passed"));
    }

    [Fact]
    public async Task An_overridden_failing_gate_is_marked_with_who_overrode_it_and_why()
    {
        await Registry.CreateModelAsync("uncarded", null, null);
        await Registry.RegisterVersionAsync("uncarded", new MemoryStream(ControlPlane.TestModels.HandBuiltOnnx.Identity()), "m.onnx", null); // no model card: its gate fails
        await Host.As<PromotionPolicies>(Admin).SaveAsync("uncarded", new PolicySaveRequest(new PolicyRules
        {
            AllowOverride = true, OverrideRoles = [ControlPlane.Domain.Identity.ControlPlaneRoles.ComplianceReviewer],
        }, "documented exceptions allowed"));
        var request = await RequestAsync("uncarded", 1);
        await Host.As<Promotions>(Reviewer).DecideAsync(request.Id, new DecisionInput(DecisionKind.Approve, SignatureMeaning.Approved, "evidence reviewed", Password,
            [new GateOverride("modelCard", "the card is in the wiki")]));
        SignInAs(Reviewer);

        var page = Ctx.Render<PromotionPage>(p => p.Add(x => x.Id, request.Id));

        page.WaitForAssertion(() => Assert.Equal("Approved", page.Find("[data-testid=promotion-status]").TextContent.Trim()));
        var card = page.Find("[data-gate=modelCard]");
        Assert.Equal("false", card.GetAttribute("data-passed"));
        Assert.Equal("true", card.GetAttribute("data-overridden"));
        Assert.Equal("Overridden by rita: the card is in the wiki", card.QuerySelector("[data-testid=gate-override]")!.TextContent.Trim());
        Assert.Contains("overridden", card.TextContent);
        Assert.All(page.FindAll("[data-testid=gate][data-passed=true]"), g => Assert.Equal("false", g.GetAttribute("data-overridden")));
    }

    [Fact]
    public async Task The_version_says_when_a_promotion_request_is_already_pending()
    {
        await ModelAsync("waiting");
        await ModelAsync("idle");
        var request = await RequestAsync("waiting", 1);
        SignInAs(Scientist);

        var waiting = Ctx.Render<VersionPromotions>(p => p.Add(x => x.Model, "waiting").Add(x => x.Version, Registry.GetVersionAsync("waiting", 1).GetAwaiter().GetResult()));
        var idle = Ctx.Render<VersionPromotions>(p => p.Add(x => x.Model, "idle").Add(x => x.Version, Registry.GetVersionAsync("idle", 1).GetAwaiter().GetResult()));

        waiting.WaitForAssertion(() => Assert.Contains("already pending", waiting.Find("[data-testid=pending-request]").TextContent));
        Assert.Equal($"/promotions/{request.Id}", waiting.Find("[data-testid=pending-request] a").GetAttribute("href"));
        Assert.Contains("Production", waiting.Find("[data-testid=pending-request]").TextContent);
        idle.WaitForAssertion(() => Assert.Contains("No promotion requests", idle.Markup));
        Assert.Empty(idle.FindAll("[data-testid=pending-request]"));
    }
}
