using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Identity;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;
using ControlPlane.Workers.Evaluation;

namespace ControlPlane.Web.Tests.Evaluations;

/// <summary>Evaluations through the API and the in-process job server, on a real ONNX Runtime session.</summary>
[Collection(WebCollection.Name)]
public sealed class EvaluationsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

    // (f1, label, region): the model scores P(1) = sigmoid(w·f1); hand-worked figures below.
    private static readonly (double F1, int Label, string Region)[] Rows =
        [(-2, 0, "north"), (-1, 0, "south"), (-0.5, 1, "north"), (0.2, 0, "south"), (0.5, 1, "north"), (1, 1, "south"), (2, 1, "north"), (3, 0, "south")];

    private static string Csv(IEnumerable<(double F1, int Label, string Region)> rows)
    {
        var csv = new StringBuilder("f1,f2,f3,label,region\n");
        foreach (var (f1, label, region) in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{f1},0,0,{label},{region}\n");
        return csv.ToString();
    }

    private async Task<EvaluationView> EvaluateAsync(string model, int version, string dataset, string? slice = null)
    {
        var response = await Scientist.PostAsJsonAsync("/api/v1/evaluations", new EvaluationRequest(model, version, dataset, 1, SliceColumn: slice, Device: EvaluationDevice.Auto));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<EvaluationView>(RegistryClient.Json))!;
        return await Eventually.GetAsync(async () =>
        {
            var run = await Reviewer.GetFromJsonAsync<EvaluationView>($"/api/v1/evaluations/{queued.Id}", RegistryClient.Json);
            return run!.Status is EvaluationStatus.Succeeded or EvaluationStatus.Failed ? run : null;
        }, TimeSpan.FromSeconds(60), "the evaluation job");
    }

    [Fact]
    public async Task A_binary_evaluation_runs_on_cpu_and_its_metrics_match_the_hand_worked_values()
    {
        var model = await Scientist.CreateModelAsync("eval");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f));
        var dataset = await Scientist.CreateDatasetAsync("eval");
        await Scientist.AddVersionAsync(dataset, Csv(Rows), """[{"name":"region","role":"Ignored"}]""");

        var run = await EvaluateAsync(model, 1, dataset, slice: "region");

        Assert.True(run.Status == EvaluationStatus.Succeeded, run.Error);
        Assert.Equal(EvaluationTask.Binary, run.Task);
        var m = run.Metrics!;
        // Threshold 0.5 ⇔ f1 ≥ 0: TP 3 (0.5, 1, 2), FP 2 (0.2, 3), TN 2 (−2, −1), FN 1 (−0.5).
        Assert.Equal(5 / 8.0, m["accuracy"], 12);
        Assert.Equal(3 / 5.0, m["precision"], 12);
        Assert.Equal(3 / 4.0, m["recall"], 12);
        Assert.Equal(2 * 0.6 * 0.75 / 1.35, m["f1"], 12);
        // ROC AUC = share of (positive, negative) pairs ranked correctly: 2 + 3 + 3 + 3 of 16.
        Assert.Equal(11 / 16.0, m["rocAuc"], 12);
        var logLoss = -Rows.Average(r => r.Label == 1 ? Math.Log(Sigmoid(r.F1)) : Math.Log(1 - Sigmoid(r.F1)));
        Assert.Equal(logLoss, m["logLoss"], 6); // the model computes in float32
        var details = run.Details!.Value.Deserialize<EvaluationDetails>(EvaluationDetails.Json)!;
        Assert.Equal([[2L, 2L], [1L, 3L]], details.Binary!.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        Assert.Equal(["north", "south"], details.Slices.Select(s => s.Value));
        // north: −2 (TN), −0.5 (FN), 0.5 (TP), 2 (TP) → accuracy 3/4; south: −1 (TN), 0.2 (FP), 1 (TP), 3 (FP) → 2/4.
        Assert.Equal([0.75, 0.5], details.Slices.Select(s => s.Metrics["accuracy"]));
        Assert.Equal("CPUExecutionProvider", run.Provenance!.Value.GetProperty("executionProvider").GetString());
        Assert.Equal(8, run.Provenance.Value.GetProperty("rows").GetInt64());

        var listed = await Reviewer.GetFromJsonAsync<ControlPlane.Domain.Common.Page<EvaluationView>>($"/api/v1/evaluations?model={model}&version=1", RegistryClient.Json);
        Assert.Equal(run.Id, Assert.Single(listed!.Items).Id);
    }

    [Fact]
    public async Task Two_versions_compare_on_the_same_data_with_deltas_and_gates()
    {
        var model = await Scientist.CreateModelAsync("cmp");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f));
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([-1f, 0f, 0f], 0f));
        var dataset = await Scientist.CreateDatasetAsync("cmp");
        await Scientist.AddVersionAsync(dataset, Csv(Rows), """[{"name":"region","role":"Ignored"}]""");
        var good = await EvaluateAsync(model, 1, dataset);
        var reversed = await EvaluateAsync(model, 2, dataset);

        var response = await Reviewer.PostAsJsonAsync("/api/v1/evaluations/compare", new CompareEvaluationsRequest(good.Id, reversed.Id,
            [new MetricThreshold("rocAuc", 0.6, 0.1, null, true), new MetricThreshold("logLoss", null, null, 0.5, false)]));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var comparison = (await response.Content.ReadFromJsonAsync<EvaluationComparison>(RegistryClient.Json))!;
        // Reversing the weight reverses the ranking: AUC 5/16.
        Assert.Equal(11 / 16.0 - 5 / 16.0, comparison.Deltas.Single(d => d.Metric == "rocAuc").Delta, 12);
        Assert.True(comparison.Gates[0].Passed, comparison.Gates[0].Reason);
        Assert.True(comparison.GatesPassed == comparison.Gates.All(g => g.Passed));

        var backwards = await Reviewer.PostAsJsonAsync("/api/v1/evaluations/compare", new CompareEvaluationsRequest(reversed.Id, good.Id,
            [new MetricThreshold("rocAuc", null, 0.1, null, true)]));
        var failed = (await backwards.Content.ReadFromJsonAsync<EvaluationComparison>(RegistryClient.Json))!;
        Assert.False(failed.GatesPassed);
    }

    [Fact]
    public async Task Incompatible_data_is_refused_up_front_and_unknown_labels_fail_the_run_once_with_the_reason()
    {
        var model = await Scientist.CreateModelAsync("bad");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f));
        var narrow = await Scientist.CreateDatasetAsync("narrow");
        await Scientist.AddVersionAsync(narrow, "f1,f2,label\n1,2,0\n3,4,1\n");
        var refused = await Scientist.PostAsJsonAsync("/api/v1/evaluations", new EvaluationRequest(model, 1, narrow, 1));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("takes 3 features per row; the dataset has 2", await refused.Content.ReadAsStringAsync());

        var forbidden = await Reviewer.PostAsJsonAsync("/api/v1/evaluations", new EvaluationRequest(model, 1, narrow, 1));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var strange = await Scientist.CreateDatasetAsync("strange");
        await Scientist.AddVersionAsync(strange, "f1,f2,f3,label\n1,0,0,0\n2,0,0,7\n");
        var run = await EvaluateAsync(model, 1, strange);
        Assert.Equal(EvaluationStatus.Failed, run.Status);
        Assert.Contains("7", run.Error);
        Assert.Contains("label", run.Error, StringComparison.OrdinalIgnoreCase);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
