using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>Promotion requests through the API: approval executes the transition, signatures, separation of duties, races.</summary>
[Collection(WebCollection.Name)]
public sealed class PromotionsApiTests(ControlPlaneWebFactory app)
{
    private const string Reviewer = ControlPlaneRoles.ComplianceReviewer;
    private const string Scientist = ControlPlaneRoles.DataScientist;

    [Fact]
    public async Task An_approval_puts_the_version_in_production_archives_the_previous_one_and_the_history_says_so()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (reviewerName, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync(2);

        var first = await scientist.RequestedAsync(model, 1);
        Assert.Equal(PromotionStatus.Pending, first.Status);
        Assert.All(first.Gates, g => Assert.True(g.Passed, g.Detail));
        Assert.Equal((await scientist.VersionAsync(model, 1)).Sha256, first.Evidence.ArtifactSha256);
        Assert.True((await reviewer.SignAsync(first.Id)).IsSuccessStatusCode);
        Assert.Equal(LifecycleStage.Production, (await scientist.VersionAsync(model, 1)).Stage);

        var second = await scientist.RequestedAsync(model, 2);
        Assert.Equal(1, second.Evidence.BaselineVersion);
        var signed = await reviewer.SignAsync(second.Id, meaning: SignatureMeaning.Reviewed, reason: "metrics and card checked");
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        var done = (await signed.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;

        Assert.Equal(PromotionStatus.Approved, done.Status);
        Assert.Equal(1, done.PreviousVersion);
        Assert.Equal((LifecycleStage.Archived, LifecycleStage.Production), ((await scientist.VersionAsync(model, 1)).Stage, (await scientist.VersionAsync(model, 2)).Stage));
        var signature = Assert.Single(done.Signatures);
        Assert.Equal((reviewerName, SignatureMeaning.Reviewed, "metrics and card checked"), (signature.SignerName, signature.Meaning, signature.Reason));
        Assert.Equal(done.EvidenceHash, signature.EvidenceHash);
        Assert.Equal(64, signature.SignatureHash.Length);
        Assert.NotEqual(first.EvidenceHash, second.EvidenceHash); // another version: its signatures cannot be moved to it

        var history = (await reviewer.GetFromJsonAsync<ProductionHistory>($"/api/v1/models/{model}/production-history", RegistryClient.Json))!;
        Assert.Equal([(1, true), (2, false)], history.Periods.Select(p => (p.Version, p.To is not null)));
        var between = history.Periods[0].From.AddTicks((history.Periods[0].To!.Value - history.Periods[0].From).Ticks / 2);
        var at = (await reviewer.GetFromJsonAsync<ProductionHistory>($"/api/v1/models/{model}/production-history?at={between:O}", RegistryClient.Json))!;
        Assert.Equal(1, at.VersionAt);
        var before = (await reviewer.GetFromJsonAsync<ProductionHistory>($"/api/v1/models/{model}/production-history?at={history.Periods[0].From.AddSeconds(-1):O}", RegistryClient.Json))!;
        Assert.Null(before.VersionAt);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var actions = await db.AuditEvents.Where(e => e.EntityType == "promotionRequest" && e.EntityId == second.Id.ToString()).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(["promotion.requested", "promotion.approved"], actions);
    }

    [Fact]
    public async Task Separation_of_duties_holds_whatever_roles_the_signer_has()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, both) = await app.UserAsync(Scientist, Reviewer);
        var (_, admin) = await app.UserAsync(ControlPlaneRoles.Admin);
        var (_, r1) = await app.UserAsync(Reviewer);
        var (_, r2) = await app.UserAsync(Reviewer);

        // The requester cannot approve their own request.
        var model = await scientist.ModelWithVersionsAsync();
        var own = await both.RequestedAsync(model, 1);
        await AssertForbiddenAsync(both.SignAsync(own.Id), "You requested");

        // Nor can the person who registered the version, or anyone who changed it.
        var authored = await both.ModelWithVersionsAsync();
        var byOther = await scientist.RequestedAsync(authored, 1);
        await AssertForbiddenAsync(both.SignAsync(byOther.Id), "You registered");
        var (_, editor) = await app.UserAsync(Scientist, Reviewer);
        Assert.True((await editor.PostAsJsonAsync($"/api/v1/models/{authored}/versions/1/stage", new SetStageRequest(LifecycleStage.Staging, "ready"), RegistryClient.Json)).IsSuccessStatusCode);
        await AssertForbiddenAsync(editor.SignAsync(byOther.Id), "You changed");

        // Roles come from the policy: a data scientist or an admin without the reviewer role cannot sign.
        await AssertForbiddenAsync(scientist.SignAsync(byOther.Id), "ComplianceReviewer");
        await AssertForbiddenAsync(admin.SignAsync(byOther.Id), "ComplianceReviewer");

        // N-of-M: one person counts once; N−1 approvals leave it pending; the N-th distinct approval completes it.
        var twoOf = await scientist.ModelWithVersionsAsync();
        await app.SetPolicyAsync(twoOf, new PolicyRules { RequiredApprovals = 2 });
        var request = await scientist.RequestedAsync(twoOf, 1);
        Assert.True((await r1.SignAsync(request.Id)).IsSuccessStatusCode);
        var half = await r1.PromotionAsync(request.Id);
        Assert.Equal((PromotionStatus.Pending, 1, 2), (half.Status, half.Approvals, half.RequiredApprovals));
        Assert.Equal(LifecycleStage.None, (await scientist.VersionAsync(twoOf, 1)).Stage);
        await AssertForbiddenAsync(r1.SignAsync(request.Id), "already signed");
        Assert.True((await r2.SignAsync(request.Id)).IsSuccessStatusCode);
        var full = await r2.PromotionAsync(request.Id);
        Assert.Equal((PromotionStatus.Approved, 2), (full.Status, full.Signatures.Count));
        Assert.Equal(LifecycleStage.Production, (await scientist.VersionAsync(twoOf, 1)).Stage);
    }

    [Fact]
    public async Task A_rejection_with_a_reason_ends_the_request_and_signatures_must_state_a_consistent_meaning()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, r1) = await app.UserAsync(Reviewer);
        var (_, r2) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var request = await scientist.RequestedAsync(model, 1);

        Assert.Equal(HttpStatusCode.BadRequest, (await r1.SignAsync(request.Id, DecisionKind.Approve, meaning: SignatureMeaning.Rejected)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await r1.SignAsync(request.Id, DecisionKind.Reject, reason: " ")).StatusCode);
        Assert.True((await r1.SignAsync(request.Id, DecisionKind.Reject, reason: "no bias review")).IsSuccessStatusCode);

        var late = await r2.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var rejected = await r2.PromotionAsync(request.Id);
        Assert.Equal(PromotionStatus.Rejected, rejected.Status);
        Assert.Contains("no bias review", rejected.StatusReason);
        Assert.Equal(LifecycleStage.None, (await scientist.VersionAsync(model, 1)).Stage);
    }

    [Fact]
    public async Task A_wrong_password_signs_nothing_is_counted_and_audited_and_locks_the_account_at_the_limit()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (name, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var request = await scientist.RequestedAsync(model, 1);

        for (var attempt = 1; attempt <= IdentityRules.MaxFailedAccessAttempts; attempt++)
        {
            var wrong = await reviewer.SignAsync(request.Id, password: "not my password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains(attempt < IdentityRules.MaxFailedAccessAttempts ? "The password is wrong. Nothing was signed." : "now locked", await wrong.Content.ReadAsStringAsync());
        }
        var locked = await reviewer.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());

        var view = await scientist.PromotionAsync(request.Id);
        Assert.Equal((PromotionStatus.Pending, 0), (view.Status, view.Signatures.Count));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.Equal(IdentityRules.MaxFailedAccessAttempts, await db.AuditEvents.CountAsync(e => e.Action == "signature.failed" && e.EntityId == request.Id.ToString() && e.ActorName == name));
    }

    [Fact]
    public async Task Many_concurrent_decisions_end_in_exactly_one_final_state()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var reviewers = new List<HttpClient>();
        for (var i = 0; i < 8; i++)
            reviewers.Add((await app.UserAsync(Reviewer)).Client);
        var model = await scientist.ModelWithVersionsAsync();
        var request = await scientist.RequestedAsync(model, 1);

        var responses = await Task.WhenAll(reviewers.Select((r, i) => r.SignAsync(request.Id, i % 2 == 0 ? DecisionKind.Approve : DecisionKind.Reject, reason: $"reviewer {i}")));

        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Single(codes, HttpStatusCode.OK);
        Assert.All(codes.Where(c => c != HttpStatusCode.OK), c => Assert.Equal(HttpStatusCode.Conflict, c));
        var final = await scientist.PromotionAsync(request.Id);
        var signature = Assert.Single(final.Signatures);
        Assert.Equal(signature.Decision == DecisionKind.Approve ? PromotionStatus.Approved : PromotionStatus.Rejected, final.Status);
        Assert.Equal(signature.Decision == DecisionKind.Approve ? LifecycleStage.Production : LifecycleStage.None, (await scientist.VersionAsync(model, 1)).Stage);
    }

    [Fact]
    public async Task Failing_gates_block_approval_unless_a_role_the_policy_names_overrides_them_with_a_reason()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync(card: null);

        var request = await scientist.RequestedAsync(model, 1);
        var card = Assert.Single(request.Gates, g => g.Key == "modelCard");
        Assert.False(card.Passed);
        Assert.Contains("owner, intended use, limitations, risk tier", card.Detail);
        var blocked = await reviewer.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Contains("Model card complete", await blocked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.SignAsync(request.Id, overrides: [new GateOverride("modelCard", "card is in the wiki")])).StatusCode);

        await app.SetPolicyAsync(model, new PolicyRules { AllowOverride = true, OverrideRoles = [Reviewer] }, "allow documented exceptions");
        var invalidated = await scientist.PromotionAsync(request.Id);
        Assert.Equal(PromotionStatus.Invalidated, invalidated.Status);
        Assert.Contains("policy changed to version", invalidated.StatusReason);

        var again = await scientist.RequestedAsync(model, 1);
        Assert.True(again.Eligibility.CanSign is false); // the requester's own view
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.SignAsync(again.Id, overrides: [new GateOverride("drift", "not failing")])).StatusCode);
        var overridden = await reviewer.SignAsync(again.Id, overrides: [new GateOverride("modelCard", "card is in the wiki")]);
        Assert.True(overridden.IsSuccessStatusCode, await overridden.Content.ReadAsStringAsync());
        var approved = (await overridden.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;
        Assert.Equal(PromotionStatus.Approved, approved.Status);
        Assert.Equal(new GateOverride("modelCard", "card is in the wiki"), Assert.Single(Assert.Single(approved.Signatures).Overrides));
    }

    [Fact]
    public async Task Protected_aliases_move_only_through_promotion_and_a_revoke_rolls_back_to_what_was_replaced()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync(2);

        var direct = await scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/champion", new SetAliasRequest(1, "try the direct way"));
        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Contains("protected", await direct.Content.ReadAsStringAsync());

        foreach (var version in new[] { 1, 2 })
        {
            var request = await scientist.RequestedAsync(model, version, new PromotionTarget(Alias: "champion"));
            Assert.True((await reviewer.SignAsync(request.Id)).IsSuccessStatusCode);
        }
        Assert.Equal(["champion"], (await scientist.VersionAsync(model, 2)).Aliases);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.DeleteAsync($"/api/v1/models/{model}/aliases/champion?reason=try%20the%20direct%20way")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/2/revoke", new ReasonInput("bad"), RegistryClient.Json)).StatusCode);
        var revoked = await reviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/2/revoke", new ReasonInput("complaints from ops"), RegistryClient.Json);
        Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        var view = (await revoked.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;
        Assert.Equal(PromotionStatus.Revoked, view.Status);
        Assert.Equal(["champion"], (await scientist.VersionAsync(model, 1)).Aliases);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/2/revoke", new ReasonInput("again"), RegistryClient.Json)).StatusCode);

        // Production: revoking v2 brings v1 back from the archive.
        foreach (var version in new[] { 1, 2 })
            Assert.True((await reviewer.SignAsync((await scientist.RequestedAsync(model, version)).Id)).IsSuccessStatusCode);
        Assert.True((await reviewer.PostAsJsonAsync($"/api/v1/models/{model}/versions/2/revoke", new ReasonInput("latency regression"), RegistryClient.Json)).IsSuccessStatusCode);
        Assert.Equal((LifecycleStage.Production, LifecycleStage.Archived), ((await scientist.VersionAsync(model, 1)).Stage, (await scientist.VersionAsync(model, 2)).Stage));
        var history = (await reviewer.GetFromJsonAsync<ProductionHistory>($"/api/v1/models/{model}/production-history", RegistryClient.Json))!;
        Assert.Equal([1, 2, 1], history.Periods.Select(p => p.Version));
    }

    [Fact]
    public async Task A_hold_invalidates_pending_requests_and_refuses_new_ones_until_released()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        var pending = await scientist.RequestedAsync(model, 1);

        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PutAsJsonAsync($"/api/v1/models/{model}/hold", new ReasonInput("x"), RegistryClient.Json)).StatusCode);
        Assert.True((await reviewer.PutAsJsonAsync($"/api/v1/models/{model}/hold", new ReasonInput("audit finding 12"), RegistryClient.Json)).IsSuccessStatusCode);

        var invalidated = await scientist.PromotionAsync(pending.Id);
        Assert.Equal(PromotionStatus.Invalidated, invalidated.Status);
        Assert.Contains("audit finding 12", invalidated.StatusReason);
        var refused = await scientist.RequestPromotionAsync(model, 1);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("on hold", await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.DeleteAsync($"/api/v1/models/{model}/hold")).StatusCode); // a reason is required
        Assert.True((await reviewer.DeleteAsync($"/api/v1/models/{model}/hold?reason=finding%20closed")).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Created, (await scientist.RequestPromotionAsync(model, 1)).StatusCode);
    }

    [Fact]
    public async Task The_inbox_lists_pending_requests_for_the_reviewers_role_but_not_their_own_or_already_signed()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync();
        await app.SetPolicyAsync(model, new PolicyRules { RequiredApprovals = 2 });
        var request = await scientist.RequestedAsync(model, 1);

        async Task<List<Guid>> InboxAsync(HttpClient client) =>
            [.. (await client.GetFromJsonAsync<Page<PromotionSummary>>("/api/v1/promotions?inbox=true&pageSize=200", RegistryClient.Json))!.Items.Select(i => i.Id)];

        Assert.Contains(request.Id, await InboxAsync(reviewer));
        Assert.DoesNotContain(request.Id, await InboxAsync(scientist));
        Assert.True((await reviewer.SignAsync(request.Id)).IsSuccessStatusCode);
        Assert.DoesNotContain(request.Id, await InboxAsync(reviewer));
        var listed = (await reviewer.GetFromJsonAsync<Page<PromotionSummary>>($"/api/v1/promotions?model={model}&status=Pending", RegistryClient.Json))!;
        Assert.Equal((request.Id, 1, 2), (Assert.Single(listed.Items).Id, listed.Items[0].Approvals, listed.Items[0].RequiredApprovals));
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors()
    {
        var (_, scientist) = await app.UserAsync(Scientist);
        var (_, reviewer) = await app.UserAsync(Reviewer);
        var model = await scientist.ModelWithVersionsAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await scientist.RequestPromotionAsync(model, 1, new PromotionTarget(LifecycleStage.Staging))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await scientist.RequestPromotionAsync(model, 1, new PromotionTarget(LifecycleStage.Production, "champion"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await scientist.RequestPromotionAsync(model, 1, justification: "")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.RequestPromotionAsync(model, 9)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.RequestPromotionAsync(model, 1)).StatusCode); // not a requester role by default
        Assert.Equal(HttpStatusCode.Created, (await scientist.RequestPromotionAsync(model, 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await scientist.RequestPromotionAsync(model, 1)).StatusCode); // one pending request per target
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.SignAsync(Guid.NewGuid())).StatusCode);

        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var badPolicy = await admin.PutAsJsonAsync($"/api/v1/policies/models/{model}", new PolicySaveRequest(new PolicyRules { RequiredApprovals = 0, ApproverRoles = ["Nobody"] }, "bad"), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, badPolicy.StatusCode);
        var problem = await badPolicy.Content.ReadAsStringAsync();
        Assert.Contains("requiredApprovals", problem);
        Assert.Contains("approverRoles", problem);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PutAsJsonAsync($"/api/v1/policies/models/{model}", new PolicySaveRequest(new PolicyRules(), "mine"), RegistryClient.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/policies/models/{model}", new PolicySaveRequest(new PolicyRules(), ""), RegistryClient.Json)).StatusCode);
    }

    private static async Task AssertForbiddenAsync(Task<HttpResponseMessage> call, string because)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {body}");
        Assert.Contains(because, body);
    }
}
