using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Governance;
using ControlPlane.Web.Tests.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Comparisons;

/// <summary>Who may run and read comparisons, and bad requests answered with a typed 4xx that stores nothing.</summary>
[Collection(WebCollection.Name)]
public sealed class ComparisonAccessTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Readers_read_runners_need_the_write_scope_and_model_limited_tokens_stay_on_their_models()
    {
        var (user, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync(2);
        var other = await scientist.ModelWithVersionsAsync(2);
        var url = $"/api/v1/models/{model}/comparisons";
        var request = new ComparisonRequest(Champion: "1", Challenger: "2");

        await RefusedAsync(await reviewer.PostAsJsonAsync(url, request, RegistryClient.Json), "needs the role");
        var readOnly = app.ClientWithToken(await TokenAsync(user, ["read"]));
        await RefusedAsync(await readOnly.PostAsJsonAsync(url, request, RegistryClient.Json), "lacks the write scope");
        var limited = app.ClientWithToken(await TokenAsync(user, ["read", "write"], [other]));
        await RefusedAsync(await limited.PostAsJsonAsync(url, request, RegistryClient.Json), $"limited to the models {other}");
        await RefusedAsync(await limited.GetAsync(url), $"limited to the models {other}");
        Assert.Equal(0, (await reviewer.GetFromJsonAsync<Page<ComparisonView>>(url, RegistryClient.Json))!.TotalCount);

        // Around the endpoint: the service itself, called for a reviewer with every scope, refuses too.
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<ActorContext>().Current =
                new Actor("r", "r", new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true) { Scopes = TokenScopes.Read | TokenScopes.Write };
            await Assert.ThrowsAsync<ForbiddenException>(() => scope.ServiceProvider.GetRequiredService<ChallengerComparisons>().RequestAsync(model, request));
        }

        // The owner runs one (the job fails: no traffic); a reviewer reads it.
        var run = await scientist.CompareAsync(model, request);
        Assert.Equal(ComparisonStatus.Failed, run.Status);
        var read = await reviewer.GetFromJsonAsync<ComparisonView>($"{url}/{run.Id}", RegistryClient.Json);
        Assert.Equal((run.Id, "version:2", 2), (read!.Id, read.ChallengerRef, read.ChallengerVersion));
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/api/v1/models/{other}/comparisons/{run.Id}")).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_are_typed_4xx_with_the_field_named_and_store_nothing()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.ModelWithVersionsAsync(2);
        var url = $"/api/v1/models/{model}/comparisons";
        var now = DateTime.UtcNow;

        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(Challenger: "2", From: now, To: now.AddHours(-3)), RegistryClient.Json), "from");
        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(Challenger: "2", From: now.AddDays(-100), To: now), RegistryClient.Json), "to");
        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(Challenger: "nope"), RegistryClient.Json), "challenger");
        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(), RegistryClient.Json), "challenger"); // no alias "challenger" yet
        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(Champion: "9", Challenger: "2"), RegistryClient.Json), "champion");
        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(Champion: "2", Challenger: "2"), RegistryClient.Json), "challenger");
        await InvalidAsync(await scientist.PostAsJsonAsync(url, new ComparisonRequest(Challenger: "2", Tolerance: -1), RegistryClient.Json), "tolerance");
        var malformed = await scientist.PostAsync(url, ComparisonTraffic.Body("""{"challenger": 2, "from": "yesterday"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.PostAsJsonAsync($"/api/v1/models/no-such-model/comparisons", new ComparisonRequest(), RegistryClient.Json)).StatusCode);
        Assert.Equal(0, (await scientist.GetFromJsonAsync<Page<ComparisonView>>(url, RegistryClient.Json))!.TotalCount);
    }

    private async Task<string> TokenAsync(string user, IReadOnlyList<string> scopes, IReadOnlyList<string>? models = null)
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens",
            new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "scoped", 1, scopes, models));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token;
    }

    private static async Task RefusedAsync(HttpResponseMessage response, string because)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(because, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    private static async Task InvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.True(problem.Errors.ContainsKey(field), $"{field} not in {string.Join(", ", problem.Errors.Keys)}: {problem.Detail}");
    }
}
