using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>Evidence from real evaluations gates promotions; product events reach subscribed webhooks, signed.</summary>
[Collection(WebCollection.Name)]
public sealed class PromotionEvidenceTests(ControlPlaneWebFactory app)
{
    // The model scores P(1) = sigmoid(w·f1): with w = +1 it predicts 1 for f1 > 0, with w = −1 the opposite.
    private static readonly byte[] Right = HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f);
    private static readonly byte[] Wrong = HandBuiltOnnx.LogisticRegressionWithZipMap([-1f, 0f, 0f], 0f);

    private static string Csv(params (double F1, int Label)[] rows) =>
        "f1,f2,f3,label\n" + string.Concat(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.F1},0,0,{r.Label}\n")));

    // w = +1 gets 5 of 8 right (f1 > 0 ⇔ label 1 except −0.5→1, 0.2→0, 3→0); w = −1 gets the other 3.
    private static readonly string Month1 = Csv((-2, 0), (-1, 0), (-0.5, 1), (0.2, 0), (0.5, 1), (1, 1), (2, 1), (3, 0));
    // A month where the relation flipped: w = +1 gets none right.
    private static readonly string Month2 = Csv((-2, 1), (-1, 1), (1, 0), (2, 0));

    [Fact]
    public async Task Metric_gates_read_the_evaluations_compare_with_production_and_a_newer_failing_evaluation_invalidates_the_request()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.CreateModelAsync("gated");
        foreach (var artifact in new[] { Right, Wrong, Right })
            await scientist.RegisterAsync(model, artifact, GovernanceClient.CompleteCard);
        var dataset = await scientist.CreateDatasetAsync("holdout");
        await scientist.AddVersionAsync(dataset, Month1);
        await app.SetPolicyAsync(model, new PolicyRules { EvaluationDataset = dataset, MetricGates = [new MetricThreshold("accuracy", 0.6, null, null, true)] });

        var unevaluated = await scientist.RequestedAsync(model, 1);
        Assert.False(Assert.Single(unevaluated.Gates, g => g.Key == "evaluation").Passed);
        await scientist.PostAsJsonAsync($"/api/v1/promotions/{unevaluated.Id}/withdraw", new ReasonInput("evaluate first"), RegistryClient.Json);

        await scientist.EvaluateAsync(model, 1, dataset, 1);
        var first = await scientist.RequestedAsync(model, 1);
        Assert.Equal(5 / 8.0, first.Evidence.Evaluation!.Metrics["accuracy"], 12);
        Assert.Null(first.Evidence.BaselineVersion); // the first release has no production version to compare with
        Assert.True(Assert.Single(first.Gates, g => g.Key == "metric:accuracy").Passed);
        Assert.True((await reviewer.SignAsync(first.Id)).IsSuccessStatusCode);

        await scientist.EvaluateAsync(model, 2, dataset, 1);
        var worse = await scientist.RequestedAsync(model, 2);
        Assert.Equal(1, worse.Evidence.BaselineVersion);
        Assert.Equal(5 / 8.0, worse.Evidence.Baseline!.Metrics["accuracy"], 12);
        Assert.Equal(3 / 8.0, worse.Evidence.Evaluation!.Metrics["accuracy"], 12);
        var gate = Assert.Single(worse.Gates, g => g.Key == "metric:accuracy");
        Assert.False(gate.Passed);
        Assert.Contains("below threshold 0.6", gate.Detail);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(worse.Id)).StatusCode);

        await scientist.EvaluateAsync(model, 3, dataset, 1);
        var pinned = await scientist.RequestedAsync(model, 3);
        Assert.All(pinned.Gates, g => Assert.True(g.Passed, g.Detail));
        await scientist.AddVersionAsync(dataset, Month2);
        var newer = await scientist.EvaluateAsync(model, 3, dataset, 2);
        Assert.Equal(0.0, newer.Metrics!["accuracy"]);

        var invalidated = await reviewer.PromotionAsync(pinned.Id);
        Assert.Equal(PromotionStatus.Invalidated, invalidated.Status);
        Assert.Contains("Metric accuracy now fails", invalidated.StatusReason);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(pinned.Id)).StatusCode);
        Assert.Equal(LifecycleStage.Production, (await scientist.VersionAsync(model, 1)).Stage);
    }

    [Fact]
    public async Task Evaluation_gate_failing_then_the_evaluation_runs_and_the_signature_binds_the_re_pinned_evidence_its_gates_were_checked_on()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.CreateModelAsync("repin");
        await scientist.RegisterAsync(model, Right, GovernanceClient.CompleteCard);
        var dataset = await scientist.CreateDatasetAsync("holdout");
        await scientist.AddVersionAsync(dataset, Month1);
        await app.SetPolicyAsync(model, new PolicyRules { EvaluationDataset = dataset, MetricGates = [new MetricThreshold("accuracy", 0.6, null, null, true)] });
        var request = await scientist.RequestedAsync(model, 1);
        Assert.Null(request.Evidence.Evaluation);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(request.Id)).StatusCode);

        await scientist.EvaluateAsync(model, 1, dataset, 1);
        var signed = await reviewer.SignAsync(request.Id);
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        var done = (await signed.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;

        Assert.Equal(PromotionStatus.Approved, done.Status);
        Assert.NotNull(done.Evidence.Evaluation);
        Assert.NotEqual(request.EvidenceHash, done.EvidenceHash);
        Assert.Equal(done.EvidenceHash, Assert.Single(done.Signatures).EvidenceHash);
        Assert.Equal(PromotionEvidence.HashOf(done.Evidence.ToJson()), done.EvidenceHash);
    }

    [Fact]
    public async Task A_40_row_dataset_version_evaluated_last_does_not_pass_a_gate_the_policy_reads_on_the_2000_row_version_or_with_a_minimum_row_count()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.CreateModelAsync("rows");
        await scientist.RegisterAsync(model, Right, GovernanceClient.CompleteCard);
        var dataset = await scientist.CreateDatasetAsync("holdout");
        // v1: 2,000 rows the model gets half right; v2: 40 rows it gets all right, evaluated last.
        await scientist.AddVersionAsync(dataset, Csv([.. Enumerable.Range(0, 2000).Select(i => (i % 2 == 0 ? 1.0 : -1.0, i % 4 < 2 ? 1 : 0))]));
        await scientist.AddVersionAsync(dataset, Csv([.. Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? 1.0 : -1.0, i % 2 == 0 ? 1 : 0))]));
        var large = await scientist.EvaluateAsync(model, 1, dataset, 1);
        await scientist.EvaluateAsync(model, 1, dataset, 2);
        var accuracy = new MetricThreshold("accuracy", 0.95, null, null, true);

        await app.SetPolicyAsync(model, new PolicyRules { EvaluationDataset = dataset, EvaluationDatasetVersion = 1, MetricGates = [accuracy] });
        var named = await scientist.RequestedAsync(model, 1);
        Assert.Contains($"Evaluation {large.Id} on {dataset} v1 (2000 rows)", Assert.Single(named.Gates, g => g.Key == "evaluation").Detail);
        Assert.False(Assert.Single(named.Gates, g => g.Key == "metric:accuracy").Passed);
        await scientist.PostAsJsonAsync($"/api/v1/promotions/{named.Id}/withdraw", new ReasonInput("next policy"), RegistryClient.Json);

        await app.SetPolicyAsync(model, new PolicyRules { EvaluationDataset = dataset, MinimumEvaluationRows = 1000, MetricGates = [accuracy] });
        var latest = await scientist.RequestedAsync(model, 1);
        var gate = Assert.Single(latest.Gates, g => g.Key == "evaluation");
        Assert.False(gate.Passed);
        Assert.Contains("(40 rows)", gate.Detail);
        Assert.Contains("at least 1000 rows", gate.Detail);
    }

    [Fact]
    public async Task Whoever_started_the_pinned_evaluation_cannot_sign()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, evaluator) = await app.UserAsync(ControlPlaneRoles.DataScientist, ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.CreateModelAsync("evaluator");
        await scientist.RegisterAsync(model, Right, GovernanceClient.CompleteCard);
        var dataset = await scientist.CreateDatasetAsync("holdout");
        await scientist.AddVersionAsync(dataset, Month1);
        await app.SetPolicyAsync(model, new PolicyRules { EvaluationDataset = dataset });
        var evaluation = await evaluator.EvaluateAsync(model, 1, dataset, 1);
        var request = await scientist.RequestedAsync(model, 1);
        Assert.Equal(evaluation.Id, request.Evidence.Evaluation!.Id);

        var refused = await evaluator.SignAsync(request.Id);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"You started evaluation {evaluation.Id}", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Drift_gate_failing_the_requester_cannot_disable_the_monitor_and_the_owner_disabling_it_invalidates_the_request()
    {
        var (_, owner) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, requester) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await owner.ModelWithVersionsAsync();
        var data = await owner.CreateDatasetAsync("drift");
        await owner.AddVersionAsync(data, Drifting(0));
        await owner.AddVersionAsync(data, Drifting(100));
        var monitorRequest = new DriftMonitorRequest($"m-{Guid.NewGuid():N}"[..14], new DatasetRef(data, 1), CurrentDataset: data, Model: model, ModelVersion: 1);
        var monitor = (await (await owner.PostAsJsonAsync("/api/v1/drift/monitors", monitorRequest, RegistryClient.Json)).Content.ReadFromJsonAsync<DriftMonitorView>(RegistryClient.Json))!;
        var queued = (await (await owner.PostAsync($"/api/v1/drift/monitors/{monitor.Id}/runs", null)).Content.ReadFromJsonAsync<DriftRunView>(RegistryClient.Json))!;
        await Eventually.GetAsync(async () => (await owner.GetFromJsonAsync<DriftRunView>($"/api/v1/drift/runs/{queued.Id}", RegistryClient.Json))!.Status == DriftRunStatus.Succeeded ? queued : null,
            TimeSpan.FromSeconds(60), "the drift run");
        var request = await requester.RequestedAsync(model, 1);
        Assert.False(Assert.Single(request.Gates, g => g.Key == "drift").Passed);

        var disable = monitorRequest with { Enabled = false };
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", disable, RegistryClient.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", disable, RegistryClient.Json)).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.SignAsync(request.Id)).StatusCode);
        var closed = await reviewer.PromotionAsync(request.Id);
        Assert.Equal(PromotionStatus.Invalidated, closed.Status);
        Assert.Contains($"{monitor.Name} was disabled or unlinked", closed.StatusReason);
        Assert.Equal(LifecycleStage.None, (await owner.VersionAsync(model, 1)).Stage);
    }

    /// <summary>200 rows of x = shift..shift+199: a shift of 100 drifts from a shift of 0.</summary>
    private static string Drifting(int shift) => "x\n" + string.Concat(Enumerable.Range(shift, 200).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i}\n")));

    [Fact]
    public async Task Promotion_events_reach_subscribed_webhooks_signed_with_the_subscription_secret()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        using var receiver = new WebhookReceiver();
        const string secret = "governance-hook-secret";
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new WebhookSubscriptionRequest(receiver.Url,
            [WebhookEvents.PromotionRequested, WebhookEvents.PromotionApproved, WebhookEvents.ModelStageChanged], secret), RegistryClient.Json);
        var subscription = (await created.Content.ReadFromJsonAsync<WebhookSubscriptionView>(RegistryClient.Json))!;
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(subscription));
        try
        {
            var model = await scientist.ModelWithVersionsAsync();
            var request = await scientist.RequestedAsync(model, 1);
            Assert.True((await reviewer.SignAsync(request.Id)).IsSuccessStatusCode);

            var received = new List<(string Event, JsonElement Body)>();
            for (var i = 0; i < 3; i++)
            {
                var (body, signature, name) = await receiver.NextAsync(TimeSpan.FromSeconds(30));
                Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))), signature);
                var json = JsonDocument.Parse(body).RootElement;
                Assert.Equal(name, json.GetProperty("event").GetString());
                received.Add((name!, json));
            }
            Assert.Equal([WebhookEvents.ModelStageChanged, WebhookEvents.PromotionApproved, WebhookEvents.PromotionRequested], received.Select(r => r.Event).Order());
            var approved = received.Single(r => r.Event == WebhookEvents.PromotionApproved).Body.GetProperty("data");
            Assert.Equal((request.Id.ToString(), model, "Approved"), (approved.GetProperty("id").GetString(), approved.GetProperty("model").GetString(), approved.GetProperty("status").GetString()));
            var log = await Eventually.GetAsync(async () =>
            {
                var list = await admin.GetFromJsonAsync<List<WebhookDeliveryView>>($"/api/v1/webhooks/{subscription.Id}/deliveries", RegistryClient.Json);
                return list!.Count(d => d.Status == WebhookDeliveryStatus.Delivered) == 3 ? list : null;
            }, TimeSpan.FromSeconds(30), "the delivery log");
            Assert.All(log, d => Assert.Equal((1, 200), (d.Attempts, d.LastStatusCode)));
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/webhooks/{subscription.Id}");
        }
    }
}
