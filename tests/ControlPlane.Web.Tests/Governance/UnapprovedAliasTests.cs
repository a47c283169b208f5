using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>Protection added to aliases that already point at unapproved versions (issue 25, finding 11).</summary>
[Collection(WebCollection.Name)]
public sealed class UnapprovedAliasTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Aliases_made_protected_while_on_unapproved_versions_are_listed_until_an_admin_approves_or_removes_them()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var model = await scientist.ModelWithVersionsAsync(2);
        foreach (var (alias, version) in new[] { ("prod", 1), ("live", 2) })
            Assert.True((await scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/{alias}", new SetAliasRequest(version, "before the policy"))).IsSuccessStatusCode);
        await app.SetPolicyAsync(model, new PolicyRules { ProtectedAliases = ["champion", "prod", "live"] }, "prod and live are governed now");

        Assert.Equal([("live", 2), ("prod", 1)], (await ListAsync(reviewer, model)).Select(a => (a.Alias, a.Version)));
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/revoke", new ReasonInput("not approved"), RegistryClient.Json)).StatusCode);

        // Resolved by approval where it points, or removed by an admin (not by anyone else).
        var approve = await scientist.RequestedAsync(model, 1, new PromotionTarget(Alias: "prod"));
        Assert.True((await reviewer.SignAsync(approve.Id)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.DeleteAsync($"/api/v1/models/{model}/aliases/live?reason=cleanup")).StatusCode);
        Assert.True((await admin.DeleteAsync($"/api/v1/models/{model}/aliases/live?reason=never%20approved")).IsSuccessStatusCode);

        Assert.Empty(await ListAsync(reviewer, model));
        Assert.Equal(["prod"], (await scientist.VersionAsync(model, 1)).Aliases);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.DeleteAsync($"/api/v1/models/{model}/aliases/prod?reason=cleanup")).StatusCode); // approved: protected again
    }

    private static async Task<List<UnapprovedAlias>> ListAsync(HttpClient client, string model) =>
        (await client.GetFromJsonAsync<List<UnapprovedAlias>>($"/api/v1/models/{model}/unapproved-aliases", RegistryClient.Json))!;
}
