using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>Who may sign, and whose signature still counts (issue 25, findings 5–7).</summary>
[Collection(WebCollection.Name)]
public sealed class SignerEligibilityTests(ControlPlaneWebFactory app)
{
    private const string Reviewer = ControlPlaneRoles.ComplianceReviewer;
    private const string Scientist = ControlPlaneRoles.DataScientist;

    [Fact]
    public async Task A_reviewer_who_downloaded_the_artifact_can_still_sign()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var request = await scientist.RequestedAsync(model, 1);

        Assert.True((await reviewer.GetAsync($"/api/v1/models/{model}/versions/1/artifact")).IsSuccessStatusCode);
        Assert.True((await reviewer.PromotionAsync(request.Id)).Eligibility.CanSign);
        var signed = await reviewer.SignAsync(request.Id);
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_reviewer_whose_serving_app_reported_the_version_failing_to_load_can_still_sign()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, adminReviewer) = await app.UserAsync(ControlPlaneRoles.Admin, Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var request = await scientist.RequestedAsync(model, 1);

        var reported = await adminReviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/load-failures", new { error = "CUDA out of memory", host = "gpu-3" });
        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.True((await adminReviewer.PromotionAsync(request.Id)).Eligibility.CanSign);
    }

    [Fact]
    public async Task Whoever_edited_the_model_since_its_last_approved_version_cannot_sign_and_is_told_which_change()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, editor) = await app.UserAsync(Scientist, Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        Assert.True((await editor.PatchAsJsonAsync($"/api/v1/models/{model}", new UpdateModelRequest(null, new() { ["team"] = "mine" }), RegistryClient.Json)).IsSuccessStatusCode);
        var request = await scientist.RequestedAsync(model, 1);

        var eligibility = (await editor.PromotionAsync(request.Id)).Eligibility;
        Assert.False(eligibility.CanSign);
        Assert.Contains("You changed its model (model.updated at", eligibility.Reason);
        var refused = await editor.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("You changed its model", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_first_approval_stops_counting_when_the_signer_is_disabled_or_loses_the_reviewer_role_before_the_second()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var reviewers = new List<(string Name, HttpClient Client)>();
        for (var i = 0; i < 5; i++)
            reviewers.Add(await app.UserAsync(Reviewer));
        var disabledFirst = await scientist.ModelWithVersionsAsync();
        var demotedFirst = await scientist.ModelWithVersionsAsync();
        await app.SetPolicyAsync(disabledFirst, new PolicyRules { RequiredApprovals = 2 });
        await app.SetPolicyAsync(demotedFirst, new PolicyRules { RequiredApprovals = 2 });
        var one = await scientist.RequestedAsync(disabledFirst, 1);
        var two = await scientist.RequestedAsync(demotedFirst, 1);

        Assert.True((await reviewers[0].Client.SignAsync(one.Id)).IsSuccessStatusCode);
        Assert.True((await admin.PostAsync($"/api/v1/admin/users/{await app.UserIdAsync(reviewers[0].Name)}/disable", null)).IsSuccessStatusCode);
        Assert.True((await reviewers[1].Client.SignAsync(one.Id)).IsSuccessStatusCode);
        Assert.Equal((PromotionStatus.Pending, 1), await StateAsync(scientist, one.Id));
        Assert.True((await reviewers[2].Client.SignAsync(one.Id)).IsSuccessStatusCode);
        Assert.Equal((PromotionStatus.Approved, 2), await StateAsync(scientist, one.Id));

        Assert.True((await reviewers[3].Client.SignAsync(two.Id)).IsSuccessStatusCode);
        Assert.True((await admin.PutAsJsonAsync($"/api/v1/admin/users/{await app.UserIdAsync(reviewers[3].Name)}/roles", new SetRolesRequest([Scientist]))).IsSuccessStatusCode);
        Assert.True((await reviewers[4].Client.SignAsync(two.Id)).IsSuccessStatusCode);
        Assert.Equal((PromotionStatus.Pending, 1), await StateAsync(scientist, two.Id));
    }

    [Fact]
    public async Task An_admin_cannot_approve_their_own_request_with_reviewers_they_appointed_and_signatures_show_who_appointed_the_signer()
    {
        var (bossName, boss) = await app.UserAsync(ControlPlaneRoles.Admin, Scientist);
        var appointed = new List<HttpClient>();
        for (var i = 0; i < 2; i++)
        {
            var name = $"r-{Guid.NewGuid():N}"[..14];
            (await boss.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, [Reviewer]))).EnsureSuccessStatusCode();
            appointed.Add(app.ClientWithToken(await app.IssueTokenAsync(name)));
        }
        var model = await boss.ModelWithVersionsAsync();
        await app.SetPolicyAsync(model, new PolicyRules { RequiredApprovals = 2 });
        var request = await boss.RequestedAsync(model, 1);

        foreach (var reviewer in appointed)
        {
            var refused = await reviewer.SignAsync(request.Id);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains($"set by {bossName}, who requested this promotion", await refused.Content.ReadAsStringAsync());
        }

        // Appointed after the request, even by someone else: refused too.
        var (_, late) = await app.UserAsync(Reviewer);
        var tooLate = await late.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Forbidden, tooLate.StatusCode);
        Assert.Contains("after this request was made", await tooLate.Content.ReadAsStringAsync());

        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer2) = await app.UserAsync(Reviewer);
        var other = await scientist.RequestedAsync(await scientist.ModelWithVersionsAsync(), 1);
        Assert.True((await reviewer2.SignAsync(other.Id)).IsSuccessStatusCode);
        Assert.Equal("admin", Assert.Single((await scientist.PromotionAsync(other.Id)).Signatures).RolesSetBy);
    }

    private static async Task<(PromotionStatus, int)> StateAsync(HttpClient client, Guid id)
    {
        var view = await client.PromotionAsync(id);
        return (view.Status, view.Approvals);
    }
}
