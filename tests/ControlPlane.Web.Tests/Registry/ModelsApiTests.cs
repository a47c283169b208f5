using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Web.Tests.Registry;

[Collection(WebCollection.Name)]
public sealed class ModelsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);
    private static readonly byte[] Classifier = HandBuiltOnnx.LogisticRegressionWithZipMap([0.5f, -1f, 2f], 0.25f);

    [Fact]
    public async Task A_registered_onnx_version_carries_its_signature_hash_and_metadata_and_downloads_intact()
    {
        var model = await Scientist.CreateModelAsync("credit");
        const string metadata = """
            {"parameters":{"C":"1.0"},"metrics":{"auc":0.91,"f1":0.8},"source":"git:abc123","notes":"first cut",
             "modelCard":{"intendedUse":"credit pre-screening","limitations":"EU data only","riskTier":"High","owner":"risk-team"}}
            """;

        var version = await Scientist.RegisterAsync(model, Classifier, metadata);

        Assert.Equal(1, version.Version);
        Assert.Equal(ModelFlavor.Onnx, version.Flavor);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Classifier)), version.Sha256);
        Assert.Equal(Classifier.Length, version.Size);
        Assert.Equal("float_input", Assert.Single(version.Signature.Inputs).Name);
        Assert.Equal(0.91, version.Metrics["auc"]);
        Assert.Equal("High", version.ModelCard.RiskTier);
        Assert.Equal(LifecycleStage.None, version.Stage);

        var download = await Reviewer.GetAsync($"/api/v1/models/{model}/versions/1/artifact");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"\"{version.Sha256}\"", download.Headers.ETag?.Tag);
        Assert.Equal(Classifier, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_ml_net_zip_registers_as_the_ml_net_flavor()
    {
        var model = await Scientist.CreateModelAsync("mlnet");

        var version = await Scientist.RegisterAsync(model, MlNetModels.TrainBinaryClassifier().Zip);

        Assert.Equal(ModelFlavor.MlNet, version.Flavor);
        Assert.Contains(version.Signature.Inputs, c => c.Name == "Features");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("external-data")]
    [InlineData("nan-metric")]
    [InlineData("too-large")]
    public async Task Rejected_uploads_are_clear_4xx_problems_and_leave_nothing_behind(string kind)
    {
        var model = await Scientist.CreateModelAsync("reject");
        var (file, metadata, status) = kind switch
        {
            "garbage" => ("not a model at all"u8.ToArray(), null, HttpStatusCode.BadRequest),
            "external-data" => (HandBuiltOnnx.WithExternalData(), null, HttpStatusCode.BadRequest),
            "nan-metric" => (Classifier, """{"metrics":{"auc":"NaN"}}""", HttpStatusCode.BadRequest),
            _ => (RandomNumberGenerator.GetBytes((int)ControlPlaneWebFactory.MaxUploadBytes + 1), null, HttpStatusCode.RequestEntityTooLarge),
        };
        var incomingBefore = IncomingFiles();

        var response = await Scientist.UploadAsync(model, file, metadataJson: metadata);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var versions = await Scientist.GetFromJsonAsync<Page<ModelVersionView>>($"/api/v1/models/{model}/versions", RegistryClient.Json);
        Assert.Equal(0, versions!.TotalCount);
        Assert.Equal(incomingBefore, IncomingFiles());
    }

    [Fact]
    public async Task Concurrent_registrations_get_gap_free_version_numbers()
    {
        var model = await Scientist.CreateModelAsync("race");

        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([i, 1f], 0f))));

        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
    }

    [Fact]
    public async Task Stages_move_within_the_allowed_transitions_and_keep_their_history()
    {
        var model = await Scientist.CreateModelAsync("stages");
        await Scientist.RegisterAsync(model, Classifier);

        var staging = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Staging", reason = "candidate" });
        var production = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Production", reason = "ship it" });
        var archived = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Archived", reason = "superseded" });
        var back = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Staging", reason = "oops" });

        Assert.Equal(HttpStatusCode.OK, staging.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, production.StatusCode);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        var history = await Reviewer.GetFromJsonAsync<List<StageChangeView>>($"/api/v1/models/{model}/versions/1/stages", RegistryClient.Json);
        Assert.Equal([(LifecycleStage.None, LifecycleStage.Staging), (LifecycleStage.Staging, LifecycleStage.Archived)], history!.Select(h => (h.From, h.To)));
        Assert.Equal("candidate", history![0].Reason);
    }

    [Fact]
    public async Task Stage_and_alias_changes_and_alias_removals_without_a_reason_are_refused_with_a_problem_and_change_nothing()
    {
        var model = await Scientist.CreateModelAsync("reasons");
        await Scientist.RegisterAsync(model, Classifier);

        var noStageReason = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Staging" });
        var blankStageReason = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Archived", reason = "   " });
        var noAliasReason = await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/stable", new { version = 1 });
        var blankAliasReason = await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/stable", new SetAliasRequest(1, ""));

        foreach (var refused in new[] { noStageReason, blankStageReason, noAliasReason, blankAliasReason })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Contains("reason", problem.RootElement.GetProperty("errors").GetProperty("reason")[0].GetString());
        }
        var version = await Reviewer.GetFromJsonAsync<ModelVersionView>($"/api/v1/models/{model}/versions/1", RegistryClient.Json);
        Assert.Equal(LifecycleStage.None, version!.Stage);
        Assert.Empty(version.Aliases);
        Assert.Empty((await Reviewer.GetFromJsonAsync<List<StageChangeView>>($"/api/v1/models/{model}/versions/1/stages", RegistryClient.Json))!);

        var set = await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/stable", new SetAliasRequest(1, "  first stable build "));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var noDeleteReason = await Scientist.DeleteAsync($"/api/v1/models/{model}/aliases/stable");
        Assert.Equal(HttpStatusCode.BadRequest, noDeleteReason.StatusCode);
        Assert.Equal(["stable"], (await Reviewer.GetFromJsonAsync<List<AliasView>>($"/api/v1/models/{model}/aliases"))!.Select(a => a.Name));
    }

    [Fact]
    public async Task Aliases_point_move_and_go_and_never_at_archived_versions()
    {
        var model = await Scientist.CreateModelAsync("alias");
        await Scientist.RegisterAsync(model, Classifier);
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 1f, 1f], 0f));

        await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/stable", new SetAliasRequest(1, "first stable"));
        await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/stable", new SetAliasRequest(2, "v2 is better"));
        await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/challenger", new SetAliasRequest(1, "keep v1 around"));
        var aliases = await Reviewer.GetFromJsonAsync<List<AliasView>>($"/api/v1/models/{model}/aliases");
        var v2 = await Reviewer.GetFromJsonAsync<ModelVersionView>($"/api/v1/models/{model}/versions/2", RegistryClient.Json);
        await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/versions/1/stage", new { stage = "Archived", reason = "retired" });
        var toArchived = await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/stable", new SetAliasRequest(1, "back to v1"));
        var invalid = await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/Not Valid", new SetAliasRequest(2, "bad name"));
        var deleted = await Scientist.DeleteAsync($"/api/v1/models/{model}/aliases/stable?reason=no%20longer%20stable");

        Assert.Equal([("challenger", 1), ("stable", 2)], aliases!.Select(a => (a.Name, a.Version)));
        Assert.Equal(["stable"], v2!.Aliases);
        Assert.Equal(HttpStatusCode.Conflict, toArchived.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(["challenger"], (await Reviewer.GetFromJsonAsync<List<AliasView>>($"/api/v1/models/{model}/aliases"))!.Select(a => a.Name));
    }

    [Fact]
    public async Task Models_are_listed_searched_and_filtered_on_the_server_and_names_are_case_insensitive()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var first = await Scientist.CreateModelAsync("fraud", new() { ["team"] = tag });
        var second = await Scientist.CreateModelAsync("churn", new() { ["team"] = tag, ["tier"] = "gold" });
        await Scientist.RegisterAsync(second, Classifier);
        await Scientist.PostAsJsonAsync($"/api/v1/models/{second}/versions/1/stage", new { stage = "Staging", reason = "candidate" });

        var byTag = await Reviewer.GetFromJsonAsync<Page<ModelSummary>>($"/api/v1/models?tag=team={tag}&sortBy=name");
        var byStage = await Reviewer.GetFromJsonAsync<Page<ModelSummary>>($"/api/v1/models?tag=team={tag}&stage=Staging");
        var duplicate = await Scientist.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(first.ToUpperInvariant(), null, null));
        var badName = await Scientist.PostAsJsonAsync("/api/v1/models", new CreateModelRequest("no spaces allowed", null, null));
        var patched = await Scientist.PatchAsJsonAsync($"/api/v1/models/{first}", new UpdateModelRequest("better words", new() { ["team"] = tag, ["owner"] = "ada" }));

        Assert.Equal(new[] { second, first }, byTag!.Items.Select(m => m.Name));
        Assert.Equal(second, Assert.Single(byStage!.Items).Name);
        Assert.Equal(["Staging"], byStage.Items[0].Stages);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        var detail = await patched.Content.ReadFromJsonAsync<ModelDetail>();
        Assert.Equal("better words", detail!.Description);
        Assert.Equal("ada", detail.Tags["owner"]);
    }

    [Fact]
    public async Task Reviewers_read_but_cannot_write_the_registry()
    {
        var model = await Scientist.CreateModelAsync("ro");

        Assert.Equal(HttpStatusCode.Forbidden, (await Reviewer.PostAsJsonAsync("/api/v1/models", new CreateModelRequest("nope", null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Reviewer.UploadAsync(model, Classifier)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Reviewer.GetAsync($"/api/v1/models/{model}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithToken(null).GetAsync("/api/v1/models")).StatusCode);
    }

    [Fact]
    public async Task A_corrupted_artifact_on_disk_is_not_served_as_if_intact()
    {
        var model = await Scientist.CreateModelAsync("bitrot");
        var version = await Scientist.RegisterAsync(model, Classifier);
        var path = Path.Combine(app.DataDirectory, "artifacts", "sha256", version.Sha256[..2], version.Sha256);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var response = await Scientist.GetAsync($"/api/v1/models/{model}/versions/1/artifact");
            await response.Content.ReadAsByteArrayAsync();
        });
    }

    private int IncomingFiles()
    {
        var incoming = Path.Combine(app.DataDirectory, "artifacts", ".incoming");
        return Directory.Exists(incoming) ? Directory.GetFiles(incoming).Length : 0;
    }
}
