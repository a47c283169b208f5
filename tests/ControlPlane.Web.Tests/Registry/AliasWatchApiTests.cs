using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Tests.Registry;

/// <summary>
/// GET of one alias as a serving client follows it: the ETag names the version; with If-None-Match and ?wait the
/// request is held until the alias moves (200 with the new target) or the wait ends (304).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AliasWatchApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);

    [Fact]
    public async Task The_alias_answers_its_version_hash_and_flavor_and_a_matching_tag_gets_304_after_the_wait()
    {
        var (model, v1, _) = await ModelWithTwoVersionsAsync();

        var first = await Scientist.GetAsync($"/api/v1/models/{model}/aliases/live");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<AliasTargetView>(RegistryClient.Json);
        Assert.Equal(new AliasTargetView("live", 1, v1.Sha256, ModelFlavor.Onnx, body!.UpdatedAtUtc), body);
        Assert.Equal($"\"{v1.Id:N}\"", first.Headers.ETag!.Tag);

        var unchanged = await WatchAsync(Scientist, model, "live", first.Headers.ETag, wait: 1);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(first.Headers.ETag, unchanged.Headers.ETag);
        // Without a wait the conditional GET answers at once, still 304.
        Assert.Equal(HttpStatusCode.NotModified, (await WatchAsync(Scientist, model, "live", first.Headers.ETag, wait: null)).StatusCode);
    }

    [Fact]
    public async Task A_waiting_request_answers_with_the_new_version_when_the_alias_moves()
    {
        var (model, v1, v2) = await ModelWithTwoVersionsAsync();
        var tag = new EntityTagHeaderValue($"\"{v1.Id:N}\"");

        var waiting = WatchAsync(Scientist, model, "live", tag, wait: 60);
        await Task.Delay(300); // let the request reach the wait; if the move wins the race the answer is the same 200
        (await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/live", new SetAliasRequest(2, "roll forward"))).EnsureSuccessStatusCode();
        var moved = await waiting;

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(2, (await moved.Content.ReadFromJsonAsync<AliasTargetView>(RegistryClient.Json))!.Version);
        Assert.Equal($"\"{v2.Id:N}\"", moved.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task A_removed_alias_ends_the_wait_with_404()
    {
        var (model, v1, _) = await ModelWithTwoVersionsAsync();

        var waiting = WatchAsync(Scientist, model, "live", new EntityTagHeaderValue($"\"{v1.Id:N}\""), wait: 60);
        await Task.Delay(300);
        (await Scientist.DeleteAsync($"/api/v1/models/{model}/aliases/live?reason=retired")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NotFound, (await waiting).StatusCode);
    }

    [Fact]
    public async Task Unknown_aliases_and_models_are_404_and_a_bad_wait_is_400()
    {
        var (model, _, _) = await ModelWithTwoVersionsAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await Scientist.GetAsync($"/api/v1/models/{model}/aliases/nowhere")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Scientist.GetAsync("/api/v1/models/no-such-model/aliases/live")).StatusCode);
        foreach (var wait in new[] { 0, 61, -5 })
        {
            var bad = await Scientist.GetAsync($"/api/v1/models/{model}/aliases/live?wait={wait}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("wait", (await bad.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        }
    }

    [Fact]
    public async Task A_token_limited_to_another_model_cannot_read_or_watch_the_alias()
    {
        var (model, v1, _) = await ModelWithTwoVersionsAsync();
        var other = await Scientist.CreateModelAsync("other");
        var limited = app.ClientWithToken(await IssueAsync("datascientist-fixture", ["read"], [other]));
        var ingestOnly = app.ClientWithToken(await IssueAsync("datascientist-fixture", ["ingest"], null));

        foreach (var response in new[]
        {
            await limited.GetAsync($"/api/v1/models/{model}/aliases/live"),
            await WatchAsync(limited, model, "live", new EntityTagHeaderValue($"\"{v1.Id:N}\""), wait: 5),
            await ingestOnly.GetAsync($"/api/v1/models/{model}/aliases/live"),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Null(response.Headers.ETag);
        }
    }

    private async Task<(string Model, ModelVersionView V1, ModelVersionView V2)> ModelWithTwoVersionsAsync()
    {
        var model = await Scientist.CreateModelAsync("served");
        var v1 = await Scientist.RegisterAsync(model, HandBuiltOnnx.Identity(3));
        var v2 = await Scientist.RegisterAsync(model, HandBuiltOnnx.Identity(4));
        (await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/live", new SetAliasRequest(1, "first release"))).EnsureSuccessStatusCode();
        return (model, v1, v2);
    }

    private static Task<HttpResponseMessage> WatchAsync(HttpClient client, string model, string alias, EntityTagHeaderValue tag, int? wait)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/models/{model}/aliases/{alias}{(wait is null ? "" : $"?wait={wait}")}");
        request.Headers.IfNoneMatch.Add(tag);
        return client.SendAsync(request);
    }

    private async Task<string> IssueAsync(string user, IReadOnlyList<string> scopes, IReadOnlyList<string>? models)
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens",
            new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "alias-watch", 1, scopes, models));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token;
    }
}
