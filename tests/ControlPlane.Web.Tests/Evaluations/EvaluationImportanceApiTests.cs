using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Identity;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Evaluations;

/// <summary>Permutation importance and slice intervals through the API and the in-process job server.</summary>
[Collection(WebCollection.Name)]
public sealed class EvaluationImportanceApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

    // The model scores P(1) = sigmoid(f1); f2 and f3 carry weight 0 and vary, so shuffling them must change nothing.
    private static readonly (double F1, int Label, string Region)[] Rows =
        [(-2, 0, "north"), (-1, 0, "south"), (-0.5, 1, "north"), (0.2, 0, "south"), (0.5, 1, "north"), (1, 1, "south"), (2, 1, "north"), (3, 0, "south")];

    [Fact]
    public async Task The_get_response_holds_importance_with_its_stored_seed_and_the_slices_with_wilson_intervals()
    {
        var (model, dataset) = await ModelAndDataAsync();

        var run = await EvaluateAsync(new EvaluationRequest(model, 1, dataset, 1, SliceColumn: "region", Importance: true, ImportanceRepeats: 2, ImportanceSeed: 3));

        Assert.True(run.Status == EvaluationStatus.Succeeded, run.Error);
        Assert.Equal((2, 3), (run.ImportanceRepeats, run.ImportanceSeed));
        var raw = await Reviewer.GetStringAsync($"/api/v1/evaluations/{run.Id}");
        using var json = JsonDocument.Parse(raw);
        Assert.Equal(2, json.RootElement.GetProperty("importanceRepeats").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("importanceSeed").GetInt32());
        var importance = json.RootElement.GetProperty("details").GetProperty("importance");
        Assert.Equal("rocAuc", importance.GetProperty("metric").GetString());
        Assert.Equal(11 / 16.0, importance.GetProperty("baseline").GetDouble(), 12); // all 8 rows: the run's own AUC
        Assert.Equal(8, importance.GetProperty("sampleRows").GetInt64());
        var features = importance.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetString()!);
        Assert.Equal(["f1", "f2", "f3"], features.Keys.Order());
        foreach (var ignored in new[] { "f2", "f3" })
        {
            Assert.Equal(0, features[ignored].GetProperty("mean").GetDouble());
            Assert.Equal(2, features[ignored].GetProperty("drops").GetArrayLength());
        }

        var slices = json.RootElement.GetProperty("details").GetProperty("sliceErrors").EnumerateArray().ToList();
        // Overall accuracy 5/8; south 2/4 right (gap −0.125), north 3/4 (+0.125). Wilson 95 % intervals from the
        // score formula in python3: 2/4 → (0.150039, 0.849961), 3/4 → (0.300642, 0.954413).
        Assert.Equal(["south", "north"], slices.Select(s => s.GetProperty("slice").GetString()));
        Assert.Equal(-0.125, slices[0].GetProperty("gap").GetDouble(), 12);
        Assert.Equal(0.150039, slices[0].GetProperty("lower").GetDouble(), 6);
        Assert.Equal(0.849961, slices[0].GetProperty("upper").GetDouble(), 6);
        Assert.Equal(0.300642, slices[1].GetProperty("lower").GetDouble(), 6);
        Assert.Equal(0.954413, slices[1].GetProperty("upper").GetDouble(), 6);
    }

    [Fact]
    public async Task Importance_is_on_by_default_for_a_few_features_with_a_stored_seed_and_off_when_asked()
    {
        var (model, dataset) = await ModelAndDataAsync();

        var byDefault = await EvaluateAsync(new EvaluationRequest(model, 1, dataset, 1));
        var off = await EvaluateAsync(new EvaluationRequest(model, 1, dataset, 1, Importance: false));

        Assert.Equal(EvaluationService.DefaultImportanceRepeats, byDefault.ImportanceRepeats);
        Assert.NotNull(byDefault.ImportanceSeed);
        Assert.True(byDefault.Details!.Value.TryGetProperty("importance", out _));
        Assert.Null(off.ImportanceRepeats);
        Assert.False(off.Details!.Value.TryGetProperty("importance", out _));
        Assert.False(off.Details.Value.TryGetProperty("sliceErrors", out _));
    }

    [Theory]
    [InlineData(0, null, "importanceRepeats")]
    [InlineData(101, null, "importanceRepeats")]
    [InlineData(5, -1, "importanceSeed")]
    public async Task Bad_importance_settings_are_a_400_naming_the_field_and_queue_nothing(int repeats, int? seed, string field)
    {
        var (model, dataset) = await ModelAndDataAsync();

        var response = await Scientist.PostAsJsonAsync("/api/v1/evaluations",
            new EvaluationRequest(model, 1, dataset, 1, Importance: true, ImportanceRepeats: repeats, ImportanceSeed: seed));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var listed = await Reviewer.GetFromJsonAsync<ControlPlane.Domain.Common.Page<EvaluationView>>($"/api/v1/evaluations?model={model}", RegistryClient.Json);
        Assert.Empty(listed!.Items);
    }

    private async Task<(string Model, string Dataset)> ModelAndDataAsync()
    {
        var model = await Scientist.CreateModelAsync("importance");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f));
        var dataset = await Scientist.CreateDatasetAsync("importance");
        var csv = new StringBuilder("f1,f2,f3,label,region\n");
        for (var i = 0; i < Rows.Length; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{Rows[i].F1},{i},{7 - i},{Rows[i].Label},{Rows[i].Region}\n");
        await Scientist.AddVersionAsync(dataset, csv.ToString(), """[{"name":"region","role":"Ignored"}]""");
        return (model, dataset);
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
