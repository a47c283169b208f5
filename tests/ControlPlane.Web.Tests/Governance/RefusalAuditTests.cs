using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>Refused governance attempts are in the audit trail with their reason (issue 25, finding 13).</summary>
[Collection(WebCollection.Name)]
public sealed class RefusalAuditTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task A_signature_refused_for_a_failing_gate_or_a_closed_request_and_a_refused_revoke_are_audited_with_their_reason()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (reviewerName, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync(card: null);
        var request = await scientist.RequestedAsync(model, 1);

        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(request.Id)).StatusCode);
        await scientist.PostAsJsonAsync($"/api/v1/promotions/{request.Id}/withdraw", new ReasonInput("card first"), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(request.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/revoke", new ReasonInput("nothing"), RegistryClient.Json)).StatusCode);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var refused = await db.AuditEvents.Where(e => e.EntityId == request.Id.ToString() && e.Action == "promotion.sign_refused").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, e => Assert.Equal(reviewerName, e.ActorName));
        Assert.Contains("Model card complete", refused[0].Reason);
        Assert.Contains("Withdrawn", refused[1].Reason);
        var revoke = Assert.Single(await db.AuditEvents.Where(e => e.EntityId == model && e.Action == "promotion.revoke_refused").ToListAsync());
        Assert.Contains("no approved promotion that is still in effect", revoke.Reason);
    }
}
