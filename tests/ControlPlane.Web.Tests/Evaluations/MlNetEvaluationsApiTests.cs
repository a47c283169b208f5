using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Identity;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Web.Tests.Evaluations;

/// <summary>
/// ML.NET versions evaluated through the API and the in-process job server: on their ONNX export when ML.NET can
/// export them, with ML.NET otherwise; either way the metrics are those of ML.NET's own predictions.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class MlNetEvaluationsApiTests(ControlPlaneWebFactory app)
{
    private const double Tolerance = 1e-6;

    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

    [Fact]
    public async Task An_exportable_ml_net_classifier_runs_on_its_onnx_export_with_the_metrics_of_ml_nets_own_predictions()
    {
        var zip = MlNetModels.TrainBinaryClassifierOnColumns().Zip;
        // Every fifth label flipped, so the metrics are not all perfect.
        var rows = MlNetModels.ColumnsRows(160, seed: 47).Select((r, i) => { r.Label ^= i % 5 == 0; return r; }).ToList();
        var csv = new StringBuilder("Size,Weight,Color,Label\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Size:R},{r.Weight:R},{r.Color},{(r.Label ? 1 : 0)}\n");

        var run = await EvaluateAsync(zip, csv.ToString());

        Assert.True(run.Status == EvaluationStatus.Succeeded, run.Error);
        var provenance = run.Provenance!.Value;
        Assert.Equal("via ONNX export of the ML.NET model", provenance.GetProperty("route").GetString());
        Assert.Equal("CPUExecutionProvider", provenance.GetProperty("executionProvider").GetString());
        var probabilities = Predict<MlNetModels.ColumnsRow>(zip, rows);
        AssertMetrics(probabilities, rows.Select(r => r.Label).ToList(), run.Metrics!);
    }

    [Fact]
    public async Task A_text_pipeline_ml_net_cannot_export_is_scored_by_ml_net_with_the_same_metrics()
    {
        var zip = MlNetModels.TrainTextClassifier();
        var rows = MlNetModels.NoteRows(120, seed: 53).Select((r, i) => { r.Label ^= i % 6 == 0; return r; }).ToList();
        var csv = new StringBuilder("Size,Note,Label\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Size:R},{r.Note},{(r.Label ? "true" : "false")}\n");

        var run = await EvaluateAsync(zip, csv.ToString());

        Assert.True(run.Status == EvaluationStatus.Succeeded, run.Error);
        var provenance = run.Provenance!.Value;
        Assert.Equal("ML.NET (CPU)", provenance.GetProperty("executionProvider").GetString());
        Assert.StartsWith("by ML.NET itself: ML.NET cannot export the pipeline to ONNX", provenance.GetProperty("route").GetString());
        Assert.Equal(120, provenance.GetProperty("rows").GetInt64());
        var probabilities = Predict<MlNetModels.NoteRow>(zip, rows);
        AssertMetrics(probabilities, rows.Select(r => r.Label).ToList(), run.Metrics!);
    }

    [Fact]
    public async Task A_dataset_without_one_of_the_models_columns_is_refused_up_front_naming_it()
    {
        var model = await Scientist.CreateModelAsync("mlnet-narrow");
        await Scientist.RegisterAsync(model, MlNetModels.TrainBinaryClassifierOnColumns().Zip);
        var dataset = await Scientist.CreateDatasetAsync("mlnet-narrow");
        await Scientist.AddVersionAsync(dataset, "Size,Color,Label\n0.5,red,true\n0.25,blue,false\n");

        var response = await Scientist.PostAsJsonAsync("/api/v1/evaluations", new EvaluationRequest(model, 1, dataset, 1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The model input 'Weight' (Single) has no column of that name", await response.Content.ReadAsStringAsync());
    }

    private async Task<EvaluationView> EvaluateAsync(byte[] zip, string csv)
    {
        var model = await Scientist.CreateModelAsync("mlnet");
        await Scientist.RegisterAsync(model, zip);
        var dataset = await Scientist.CreateDatasetAsync("mlnet");
        await Scientist.AddVersionAsync(dataset, csv);
        var response = await Scientist.PostAsJsonAsync("/api/v1/evaluations", new EvaluationRequest(model, 1, dataset, 1, BatchSize: 50));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<EvaluationView>(RegistryClient.Json))!;
        return await Eventually.GetAsync(async () =>
        {
            var run = await Reviewer.GetFromJsonAsync<EvaluationView>($"/api/v1/evaluations/{queued.Id}", RegistryClient.Json);
            return run!.Status is EvaluationStatus.Succeeded or EvaluationStatus.Failed ? run : null;
        }, TimeSpan.FromSeconds(60), "the evaluation job");
    }

    /// <summary>ML.NET's own probabilities for the rows, from the zip as registered.</summary>
    private static List<double> Predict<TRow>(byte[] zip, List<TRow> rows) where TRow : class
    {
        var ml = new MLContext(0);
        using var stream = new MemoryStream(zip);
        var scored = ml.Model.Load(stream, out _).Transform(ml.Data.LoadFromEnumerable(rows));
        return [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];
    }

    /// <summary>Accuracy (threshold 0.5), ROC AUC (pairs ranked right, ties half) and log loss, computed by hand.</summary>
    private static void AssertMetrics(List<double> p, List<bool> y, IReadOnlyDictionary<string, double> metrics)
    {
        var accuracy = p.Zip(y).Average(r => r.First >= 0.5 == r.Second ? 1.0 : 0.0);
        var positives = p.Where((_, i) => y[i]).ToList();
        var negatives = p.Where((_, i) => !y[i]).ToList();
        var auc = positives.Sum(a => negatives.Sum(b => a > b ? 1.0 : a == b ? 0.5 : 0.0)) / (positives.Count * (double)negatives.Count);
        var logLoss = -p.Zip(y).Average(r => r.Second ? Math.Log(r.First) : Math.Log(1 - r.First));
        Assert.InRange(accuracy, 0.6, 0.95);
        Assert.Equal(accuracy, metrics["accuracy"], Tolerance);
        Assert.Equal(auc, metrics["rocAuc"], Tolerance);
        Assert.Equal(logLoss, metrics["logLoss"], Tolerance);
    }
}
