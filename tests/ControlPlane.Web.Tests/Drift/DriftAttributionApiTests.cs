using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Explainability;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Governance;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Drift;

/// <summary>A drift run of a monitor tied to a model version shows its columns weighed by that version's importance.</summary>
[Collection(WebCollection.Name)]
public sealed class DriftAttributionApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

    /// <summary>300 rows: the model reads f1 (weight 1) and ignores f2 (weight 0); both move by <paramref name="shift"/>.</summary>
    private static string Month(double shift)
    {
        var random = new Random(5);
        var csv = new StringBuilder("f1,f2,label\n");
        for (var i = 0; i < 300; i++)
        {
            var f1 = (i - 150) / 50.0 + shift;
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-f1)) ? 1 : 0;
            csv.Append(CultureInfo.InvariantCulture, $"{f1},{i % 17 + 2 * shift},{label}\n");
        }
        return csv.ToString();
    }

    [Fact]
    public async Task The_drifted_important_feature_comes_first_with_its_rank_and_a_monitor_without_model_says_why()
    {
        var model = await Scientist.CreateModelAsync("attribution");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f], 0f), GovernanceClient.CompleteCard);
        var dataset = await Scientist.CreateDatasetAsync("attribution");
        await Scientist.AddVersionAsync(dataset, Month(0));
        await Scientist.AddVersionAsync(dataset, Month(1.5));
        var evaluation = await EvaluateAsync(new EvaluationRequest(model, 1, dataset, 1, Importance: true, ImportanceRepeats: 3, ImportanceSeed: 1));
        Assert.True(evaluation.Status == EvaluationStatus.Succeeded, evaluation.Error);

        var run = await RunAsync(new DriftMonitorRequest($"a-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDataset: dataset, Model: model, ModelVersion: 1));
        var attribution = run.Attribution!;

        Assert.Null(attribution.Note);
        Assert.Equal((evaluation.Id, "rocAuc", 2), (attribution.EvaluationId!.Value, attribution.Metric, attribution.RankedFeatures));
        var first = attribution.Columns[0];
        Assert.Equal(("f1", true, 1), (first.Column, first.Drifted, first.ImportanceRank!.Value));
        Assert.True(first.Score > 0);
        var f2 = attribution.Columns.Single(c => c.Column == "f2");
        Assert.True(f2.Drifted);
        Assert.Equal((2, 0.0), (f2.ImportanceRank!.Value, f2.Score!.Value)); // shuffling an ignored input changes nothing

        // The promotion request's evidence carries the same ranking for the drifted columns, and hashes what it shows.
        var promotion = await Scientist.RequestedAsync(model, 1);
        var linked = Assert.Single(promotion.Evidence.Drift);
        Assert.Equal(run.Id, linked.RunId);
        var weighed = linked.DriftedByImportance!;
        Assert.Equal(attribution.Columns.Where(c => c.Drifted).Select(c => c.Column), weighed.Select(c => c.Column));
        Assert.Equal(("f1", 1), (weighed[0].Column, weighed[0].ImportanceRank!.Value));
        Assert.Equal(PromotionEvidence.HashOf(promotion.Evidence.ToJson()), promotion.EvidenceHash);
        Assert.Contains("\"driftedByImportance\"", promotion.Evidence.ToJson());

        var unattached = await RunAsync(new DriftMonitorRequest($"u-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDataset: dataset));
        Assert.Equal(DriftAttributionView.NoModel, unattached.Attribution!.Note);
        Assert.Equal("f1", unattached.Attribution.Columns[0].Column); // by drift alone: KS D 0.25 for f1, about 0.18 for f2
    }

    private async Task<DriftRunView> RunAsync(DriftMonitorRequest request)
    {
        var created = await Scientist.PostAsJsonAsync("/api/v1/drift/monitors", request, RegistryClient.Json);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var monitor = (await created.Content.ReadFromJsonAsync<DriftMonitorView>(RegistryClient.Json))!;
        var response = await Scientist.PostAsync($"/api/v1/drift/monitors/{monitor.Id}/runs", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<DriftRunView>(RegistryClient.Json))!;
        var run = await Eventually.GetAsync(async () =>
        {
            var current = await Reviewer.GetFromJsonAsync<DriftRunView>($"/api/v1/drift/runs/{queued.Id}", RegistryClient.Json);
            return current!.Status is DriftRunStatus.Succeeded or DriftRunStatus.Failed ? current : null;
        }, TimeSpan.FromSeconds(60), "the drift run");
        Assert.True(run.Status == DriftRunStatus.Succeeded, run.Error);
        return run;
    }

    private async Task<EvaluationView> EvaluateAsync(EvaluationRequest request)
    {
        var response = await Scientist.PostAsJsonAsync("/api/v1/evaluations", request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<EvaluationView>(RegistryClient.Json))!;
        return await Eventually.GetAsync(async () =>
        {
            var run = await Reviewer.GetFromJsonAsync<EvaluationView>($"/api/v1/evaluations/{queued.Id}", RegistryClient.Json);
            return run!.Status is EvaluationStatus.Succeeded or EvaluationStatus.Failed ? run : null;
        }, TimeSpan.FromSeconds(60), "the evaluation job");
    }
}
