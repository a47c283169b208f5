using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Registry.Permissions;
using ControlPlane.Web.Apis;
using ControlPlane.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Tests.Registry;

/// <summary>The permissions through REST with real tokens: read, change, a stale change, and a model-limited write token of a non-owner.</summary>
[Collection(WebCollection.Name)]
public sealed class ModelPermissionsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task An_owner_restricts_alias_moves_and_a_model_limited_write_token_of_another_scientist_is_refused()
    {
        var owner = await NewScientistAsync();
        var other = await NewScientistAsync();
        var ownerClient = app.ClientWithToken(await app.IssueTokenAsync(owner));
        var model = $"p-{Guid.NewGuid():N}"[..12];
        (await ownerClient.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(model, null, null))).EnsureSuccessStatusCode();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(ControlPlane.TestModels.HandBuiltOnnx.Identity()), "file", "m.onnx" } })
            (await ownerClient.PostAsync($"/api/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();

        var before = await ownerClient.GetFromJsonAsync<ModelPermissionsView>($"/api/v1/models/{model}/permissions", ApiCalls.Json);
        Assert.Equal([owner], before!.Owners);
        Assert.False(before.Stored);
        var put = await ownerClient.PutAsJsonAsync($"/api/v1/models/{model}/permissions",
            new { owners = new[] { owner }, moveAliases = new { restriction = "OwnersOnly", users = Array.Empty<string>() } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await put.Content.ReadFromJsonAsync<ModelPermissionsView>(ApiCalls.Json);
        Assert.Equal(ModelRestriction.OwnersOnly, after!.MoveAliases.Restriction);
        Assert.Equal(ModelRestriction.Unrestricted, after.RegisterVersions.Restriction);

        var limited = app.ClientWithToken(await IssueAsync(other, ["read", "write"], [model]));
        var refused = await limited.PutAsJsonAsync($"/api/v1/models/{model}/aliases/candidate", new SetAliasRequest(1, "try"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("moving aliases is restricted to its owners", (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.PutAsJsonAsync($"/api/v1/models/{model}/permissions", new { owners = new[] { other } })).StatusCode);
        Assert.Empty((await Admin.GetFromJsonAsync<ModelDetail>($"/api/v1/models/{model}"))!.Aliases);

        // The owner's own model-limited token moves it; the admin's token without the admin scope is no admin here.
        var ownerLimited = app.ClientWithToken(await IssueAsync(owner, ["read", "write"], [model]));
        Assert.Equal(HttpStatusCode.OK, (await ownerLimited.PutAsJsonAsync($"/api/v1/models/{model}/aliases/candidate", new SetAliasRequest(1, "ok"))).StatusCode);
        var adminNoScope = app.ClientWithToken(await IssueAsync("admin", ["read", "write"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await adminNoScope.PutAsJsonAsync($"/api/v1/models/{model}/permissions", new { owners = new[] { "admin" } })).StatusCode);
    }

    [Fact]
    public async Task A_stale_stamp_is_a_409_and_an_undefined_restriction_a_400()
    {
        var owner = await NewScientistAsync();
        var client = app.ClientWithToken(await app.IssueTokenAsync(owner));
        var model = $"p-{Guid.NewGuid():N}"[..12];
        (await client.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(model, null, null))).EnsureSuccessStatusCode();
        var first = await (await client.PutAsJsonAsync($"/api/v1/models/{model}/permissions", new { owners = new[] { owner } })).Content.ReadFromJsonAsync<ModelPermissionsView>(ApiCalls.Json);
        (await Admin.PutAsJsonAsync($"/api/v1/models/{model}/permissions", new { owners = new[] { owner, "admin" }, concurrencyStamp = first!.ConcurrencyStamp })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Conflict, (await client.PutAsJsonAsync($"/api/v1/models/{model}/permissions",
            new { owners = new[] { owner }, concurrencyStamp = first.ConcurrencyStamp })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/v1/models/{model}/permissions",
            new { owners = new[] { owner }, editSpecs = new { restriction = "Sometimes", users = Array.Empty<string>() } })).StatusCode);
        Assert.Equal([owner, "admin"], (await client.GetFromJsonAsync<ModelPermissionsView>($"/api/v1/models/{model}/permissions", ApiCalls.Json))!.Owners);
    }

    private async Task<string> NewScientistAsync()
    {
        var name = $"ds-{Guid.NewGuid():N}"[..12];
        (await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password,
            [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        return name;
    }

    private async Task<string> IssueAsync(string user, IReadOnlyList<string> scopes, IReadOnlyList<string>? models = null)
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens",
            new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "scoped", 1, scopes, models));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token;
    }
}
