using System.Net.Http.Json;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>A revoke rolls back only onto a version whose own approval for the target is still in force (issue 25, findings 1–3).</summary>
[Collection(WebCollection.Name)]
public sealed class RevokeChainTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Champion_to_v1_v2_v1_then_revoking_v1_and_v2_removes_champion_instead_of_restoring_revoked_v1()
    {
        var (scientist, reviewer, model) = await ApprovedInTurnAsync(Champion, [1, 2, 1]);

        var first = await RevokeAsync(reviewer, model, 1);
        Assert.Equal(["champion"], (await scientist.VersionAsync(model, 2)).Aliases);
        Assert.Contains("points at v2 again", first.StatusReason);

        var second = await RevokeAsync(reviewer, model, 2);
        Assert.Empty((await scientist.VersionAsync(model, 1)).Aliases);
        Assert.Empty((await scientist.VersionAsync(model, 2)).Aliases);
        Assert.Contains("'champion' was removed: v1's approval for alias 'champion' was revoked", second.StatusReason);
    }

    [Fact]
    public async Task Production_v1_v2_v1_without_archiving_then_revoking_v1_and_v2_leaves_nothing_in_production()
    {
        var (scientist, reviewer, model) = await ApprovedInTurnAsync(Production, [1, 2, 1], new PolicyRules { ArchivePrevious = false });

        await RevokeAsync(reviewer, model, 1);
        Assert.Equal(LifecycleStage.Production, (await scientist.VersionAsync(model, 2)).Stage);

        var second = await RevokeAsync(reviewer, model, 2);
        Assert.Equal((LifecycleStage.Archived, LifecycleStage.Archived), ((await scientist.VersionAsync(model, 1)).Stage, (await scientist.VersionAsync(model, 2)).Stage));
        Assert.Contains("Nothing is in Production now", second.StatusReason);
    }

    [Fact]
    public async Task Champion_to_v1_v2_archive_v1_then_revoking_v2_does_not_land_on_archived_v1()
    {
        var (scientist, reviewer, model) = await ApprovedInTurnAsync(Champion, [1, 2]);
        var archived = await scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new SetStageRequest(LifecycleStage.Archived, "retired"), RegistryClient.Json);
        Assert.True(archived.IsSuccessStatusCode, await archived.Content.ReadAsStringAsync());

        var revoked = await RevokeAsync(reviewer, model, 2);
        Assert.Empty((await scientist.VersionAsync(model, 1)).Aliases);
        Assert.Contains("v1 is archived", revoked.StatusReason);
    }

    [Fact]
    public async Task Revoking_the_production_version_of_a_model_on_hold_restores_nothing()
    {
        var (scientist, reviewer, model) = await ApprovedInTurnAsync(Production, [1, 2]);
        Assert.True((await reviewer.PutAsJsonAsync($"/api/v1/models/{model}/hold", new ReasonInput("incident 7"), RegistryClient.Json)).IsSuccessStatusCode);

        var revoked = await RevokeAsync(reviewer, model, 2);
        Assert.Equal((LifecycleStage.Archived, LifecycleStage.Archived), ((await scientist.VersionAsync(model, 1)).Stage, (await scientist.VersionAsync(model, 2)).Stage));
        Assert.Contains("on hold, so v1 is not restored", revoked.StatusReason);
    }

    private static readonly PromotionTarget Champion = new(Alias: "champion");
    private static readonly PromotionTarget Production = new(LifecycleStage.Production);

    /// <summary>A model with two versions whose requests for <paramref name="target"/> are approved in the given order.</summary>
    private async Task<(HttpClient Scientist, HttpClient Reviewer, string Model)> ApprovedInTurnAsync(PromotionTarget target, int[] versions, PolicyRules? policy = null)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync(2);
        if (policy is not null)
            await app.SetPolicyAsync(model, policy);
        foreach (var version in versions)
        {
            var signed = await reviewer.SignAsync((await scientist.RequestedAsync(model, version, target)).Id);
            Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        }
        return (scientist, reviewer, model);
    }

    private static async Task<PromotionView> RevokeAsync(HttpClient reviewer, string model, int version)
    {
        var response = await reviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/{version}/revoke", new ReasonInput("withdrawn from service"), RegistryClient.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;
    }
}
