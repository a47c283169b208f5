using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Tokens with scopes (read, write, ingest, admin) and a list of models, tried through the API: the declared scope of
/// each endpoint, the write guard behind it, the Admin role a token without the admin scope does not get, models
/// outside the list, and a token that tries to make a wider one.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ScopedTokenTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task A_read_token_reads_but_cannot_change_anything_through_any_endpoint()
    {
        var (user, model) = await ScientistWithModelAsync();
        var read = app.ClientWithToken(await IssueAsync(user, ["read"]));

        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"/api/v1/models/{model}")).StatusCode);
        await AssertRefusedAsync(await read.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(Unique("m"), null, null)), "lacks the write scope");
        await AssertRefusedAsync(await read.PatchAsJsonAsync($"/api/v1/models/{model}", new { description = "changed" }), "lacks the write scope");
        // A POST that only reads is declared so.
        Assert.NotEqual(HttpStatusCode.Forbidden, (await read.PostAsJsonAsync("/api/v1/evaluations/compare", new { ids = Array.Empty<Guid>() })).StatusCode);
        var unchanged = await Admin.GetFromJsonAsync<ModelDetail>($"/api/v1/models/{model}");
        Assert.Null(unchanged!.Description);
    }

    [Fact]
    public async Task An_ingest_only_token_reads_nothing()
    {
        var (user, model) = await ScientistWithModelAsync();
        var ingest = app.ClientWithToken(await IssueAsync(user, ["ingest"]));

        await AssertRefusedAsync(await ingest.GetAsync($"/api/v1/models/{model}"), "lacks the read scope");
        await AssertRefusedAsync(await ingest.GetAsync("/api/v1/datasets"), "lacks the read scope");
    }

    [Fact]
    public async Task An_admins_token_without_the_admin_scope_acts_without_the_admin_role()
    {
        var plain = app.ClientWithToken(await IssueAsync("admin", ["read", "write"]));
        var full = app.ClientWithToken(await IssueAsync("admin", ["read", "write", "admin"]));

        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/api/v1/admin/users")).StatusCode);
        var me = await plain.GetFromJsonAsync<MeResponse>("/api/v1/me");
        Assert.DoesNotContain(ControlPlaneRoles.Admin, me!.Roles);
        Assert.Equal(["read", "write"], me.Scopes);
        Assert.Equal(HttpStatusCode.OK, (await full.GetAsync("/api/v1/admin/users")).StatusCode);
    }

    [Fact]
    public async Task A_token_of_someone_holding_two_roles_keeps_the_other_role_without_the_admin_scope()
    {
        var name = Unique("both");
        (await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password,
            [ControlPlaneRoles.Admin, ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        var token = app.ClientWithToken(await IssueAsync(name, ["read", "write"]));

        Assert.Equal(HttpStatusCode.Created, (await token.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(Unique("m"), null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync("/api/v1/admin/users")).StatusCode);
        Assert.Equal([ControlPlaneRoles.DataScientist], (await token.GetFromJsonAsync<MeResponse>("/api/v1/me"))!.Roles);
    }

    [Fact]
    public async Task A_token_limited_to_one_model_sees_and_changes_that_model_only()
    {
        var (user, mine) = await ScientistWithModelAsync();
        var other = Unique("other");
        (await app.ClientWithToken(await app.IssueTokenAsync(user)).PostAsJsonAsync("/api/v1/models", new CreateModelRequest(other, null, null))).EnsureSuccessStatusCode();
        var limited = app.ClientWithToken(await IssueAsync(user, ["read", "write"], [mine]));

        var listed = await limited.GetFromJsonAsync<Page<ModelSummary>>("/api/v1/models?pageSize=200");
        Assert.Equal([mine], listed!.Items.Select(m => m.Name));
        Assert.Equal(HttpStatusCode.OK, (await limited.PatchAsJsonAsync($"/api/v1/models/{mine}", new { description = "mine" })).StatusCode);
        await AssertRefusedAsync(await limited.GetAsync($"/api/v1/models/{other}"), $"limited to the models {mine}");
        await AssertRefusedAsync(await limited.PatchAsJsonAsync($"/api/v1/models/{other}", new { description = "not yours" }), $"limited to the models {mine}");
        await AssertRefusedAsync(await limited.GetAsync($"/api/v1/models/{other}/versions"), $"limited to the models {mine}");
    }

    [Fact]
    public async Task A_token_cannot_make_a_wider_token_and_one_it_makes_inherits_its_limits()
    {
        var (user, model) = await ScientistWithModelAsync();
        var narrow = app.ClientWithToken(await IssueAsync(user, ["read", "write"], [model]));

        await AssertRefusedAsync(await narrow.PostAsJsonAsync("/api/v1/auth/tokens/mine", new CreateTokenRequest("wider", 1, ["read", "write", "ingest"])), "within its own scopes");
        var other = Unique("other");
        (await Admin.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(other, null, null))).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await narrow.PostAsJsonAsync("/api/v1/auth/tokens/mine", new CreateTokenRequest("wider", 1, null, [model, other])), "within its own models");

        var made = await (await narrow.PostAsJsonAsync("/api/v1/auth/tokens/mine", new CreateTokenRequest("child", 1))).Content.ReadFromJsonAsync<IssuedTokenResponse>();
        Assert.Equal(["read", "write"], made!.Scopes);
        Assert.Equal([model], made.Models);
        var listed = await narrow.GetFromJsonAsync<List<AccessTokenInfo>>("/api/v1/auth/tokens");
        Assert.Contains(listed!, t => t.Name == "child" && t.Scopes.SequenceEqual(["read", "write"]) && t.Models!.SequenceEqual([model]));
    }

    [Fact]
    public async Task Bad_scopes_and_models_are_400s_and_model_names_stay_hidden_from_a_wrong_password()
    {
        var (user, _) = await ScientistWithModelAsync();
        var anonymous = app.ClientWithToken(null);

        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "x", 1, ["read", "delete"]));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'delete' is not a scope", (await unknown.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "x", 1, []))).StatusCode);
        var missing = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "x", 1, ["read"], ["no-such-model"]));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("No model is named no-such-model", (await missing.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        // Without the password, the same request says nothing about models.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest(user, "wrong password!!", "x", 1, ["read"], ["no-such-model"]))).StatusCode);
    }

    [Fact]
    public async Task Issuing_a_scoped_token_is_audited_with_its_scopes_and_models()
    {
        var (user, model) = await ScientistWithModelAsync();
        await IssueAsync(user, ["ingest"], [model]);

        var events = await Admin.GetFromJsonAsync<Page<ControlPlane.Domain.Audit.AuditEventView>>($"/api/v1/audit?actor={user}&action=token.created&pageSize=5");
        var created = events!.Items.First();
        Assert.Contains(created.Changes, c => c.Field == "Scopes" && c.New == nameof(TokenScopes.Ingest));
        Assert.Contains(created.Changes, c => c.Field == "Models" && c.New!.Contains(model, StringComparison.Ordinal));
        Assert.DoesNotContain(created.Changes, c => c.Field == "TokenHash" && c.New != "[redacted]");
    }

    private async Task<string> IssueAsync(string user, IReadOnlyList<string> scopes, IReadOnlyList<string>? models = null)
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens",
            new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "scoped", 1, scopes, models));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token;
    }

    private async Task<(string User, string Model)> ScientistWithModelAsync()
    {
        var user = Unique("ds");
        (await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(user, $"{user}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        var model = Unique("model");
        (await app.ClientWithToken(await app.IssueTokenAsync(user)).PostAsJsonAsync("/api/v1/models", new CreateModelRequest(model, null, null))).EnsureSuccessStatusCode();
        return (user, model);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string because)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(because, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
