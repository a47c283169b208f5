using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Tests.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Security review §1: a decision that is neither Approve nor Reject was counted as an approval and put a version with a
/// failing gate into Production. Only an explicit Approve may approve, whatever reaches the service.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class UndefinedDecisionTests(ControlPlaneWebFactory app)
{
    [Theory]
    [InlineData("""{"decision":2,"meaning":"Rejected","reason":"x","password":"PASSWORD"}""")]
    [InlineData("""{"decision":2,"meaning":"Approved","reason":"x","password":"PASSWORD"}""")]
    [InlineData("""{"decision":-1,"meaning":"Approved","reason":"x","password":"PASSWORD"}""")]
    [InlineData("""{"decision":"2","meaning":"Rejected","reason":"x","password":"PASSWORD"}""")]
    [InlineData("""{"decision":"Approve","meaning":7,"reason":"x","password":"PASSWORD"}""")]
    [InlineData("""{"decision":0,"meaning":99,"reason":"x","password":"PASSWORD"}""")]
    public async Task A_decision_outside_the_defined_values_is_refused_and_changes_nothing(string body)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync(card: null); // the model-card gate fails
        var request = await scientist.RequestedAsync(model, 1);

        var response = await reviewer.PostAsync($"/api/v1/promotions/{request.Id}/decisions",
            new StringContent(body.Replace("PASSWORD", ControlPlaneWebFactory.Password), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var after = await scientist.PromotionAsync(request.Id);
        Assert.Equal((PromotionStatus.Pending, 0, 0), (after.Status, after.Approvals, after.Signatures.Count));
        Assert.Equal(LifecycleStage.None, (await scientist.VersionAsync(model, 1)).Stage);
    }

    [Theory]
    [InlineData(2, SignatureMeaning.Rejected)]
    [InlineData(2, SignatureMeaning.Approved)]
    [InlineData(int.MaxValue, SignatureMeaning.Reviewed)]
    [InlineData(0, (SignatureMeaning)3)]
    public async Task The_service_refuses_undefined_values_that_never_went_through_json(int decision, SignatureMeaning meaning)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (reviewerName, _) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync(card: null);
        var request = await scientist.RequestedAsync(model, 1);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        string userId;
        await using (var db = await users.CreateDbContextAsync())
            userId = await db.Users.Where(u => u.UserName == reviewerName).Select(u => u.Id).SingleAsync();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current =
            new Actor(userId, reviewerName, new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true);
        var promotions = scope.ServiceProvider.GetRequiredService<Promotions>();

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            promotions.DecideAsync(request.Id, new DecisionInput((DecisionKind)decision, meaning, "x", ControlPlaneWebFactory.Password)));
        Assert.Contains(decision is 0 ? "meaning" : "decision", refused.Errors.Keys);
        var after = await scientist.PromotionAsync(request.Id);
        Assert.Equal((PromotionStatus.Pending, 0), (after.Status, after.Signatures.Count));
        Assert.Equal(LifecycleStage.None, (await scientist.VersionAsync(model, 1)).Stage);
    }
}
