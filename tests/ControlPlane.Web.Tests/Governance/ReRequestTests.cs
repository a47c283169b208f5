using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>A re-request after a rejection shows the rejection; a policy may make it wait (issue 25, finding 12).</summary>
[Collection(WebCollection.Name)]
public sealed class ReRequestTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task After_a_rejection_the_re_request_shows_it_to_the_next_reviewer_and_a_cool_down_refuses_an_immediate_re_request()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (firstName, first) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var (_, second) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var rejected = await scientist.RequestedAsync(model, 1);
        Assert.True((await first.SignAsync(rejected.Id, DecisionKind.Reject, reason: "no bias review")).IsSuccessStatusCode);

        var again = await scientist.RequestedAsync(model, 1);
        var shown = Assert.Single((await second.PromotionAsync(again.Id)).EarlierDecisions!);
        Assert.Equal((rejected.Id, firstName, DecisionKind.Reject, "no bias review", PromotionStatus.Rejected),
            (shown.RequestId, shown.SignerName, shown.Decision, shown.Reason, shown.RequestStatus));

        var waiting = await scientist.ModelWithVersionsAsync();
        await app.SetPolicyAsync(waiting, new PolicyRules { RejectionCooldownHours = 24 });
        Assert.True((await first.SignAsync((await scientist.RequestedAsync(waiting, 1)).Id, DecisionKind.Reject, reason: "no bias review")).IsSuccessStatusCode);
        var refused = await scientist.RequestPromotionAsync(waiting, 1);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("cool-down", await refused.Content.ReadAsStringAsync());
    }
}
