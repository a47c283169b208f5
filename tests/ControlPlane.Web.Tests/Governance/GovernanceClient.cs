using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Governance;

/// <summary>Governance calls as people and pipelines make them, plus the set-up each test needs (its own users and model).</summary>
internal static class GovernanceClient
{
    public const string CompleteCard = """{"modelCard":{"owner":"risk-team","intendedUse":"credit scoring","limitations":"retail only","riskTier":"high"}}""";

    /// <summary>A new user with these roles and an API token.</summary>
    public static async Task<(string Name, HttpClient Client)> UserAsync(this ControlPlaneWebFactory app, params string[] roles)
    {
        var name = $"u-{Guid.NewGuid():N}"[..14];
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        (await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, roles))).EnsureSuccessStatusCode();
        return (name, app.ClientWithToken(await app.IssueTokenAsync(name)));
    }

    /// <summary>A model whose versions (registered by <paramref name="author"/>) have complete model cards.</summary>
    public static async Task<string> ModelWithVersionsAsync(this HttpClient author, int versions = 1, string? card = CompleteCard)
    {
        var model = await author.CreateModelAsync("gov");
        for (var i = 0; i < versions; i++)
            await author.RegisterAsync(model, HandBuiltOnnx.Identity(), card);
        return model;
    }

    public static async Task SetPolicyAsync(this ControlPlaneWebFactory app, string model, PolicyRules rules, string reason = "test policy")
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var response = await admin.PutAsJsonAsync($"/api/v1/policies/models/{model}", new PolicySaveRequest(rules, reason), RegistryClient.Json);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> RequestPromotionAsync(this HttpClient client, string model, int version, PromotionTarget? target = null, string justification = "beats the champion") =>
        client.PostAsJsonAsync("/api/v1/promotions", new PromotionRequestInput(model, version, target ?? new PromotionTarget(LifecycleStage.Production), justification), RegistryClient.Json);

    public static async Task<PromotionView> RequestedAsync(this HttpClient client, string model, int version, PromotionTarget? target = null)
    {
        var response = await client.RequestPromotionAsync(model, version, target);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<PromotionView>(RegistryClient.Json))!;
    }

    public static Task<HttpResponseMessage> SignAsync(this HttpClient client, Guid request, DecisionKind decision = DecisionKind.Approve,
        string password = ControlPlaneWebFactory.Password, SignatureMeaning? meaning = null, string reason = "evidence reviewed", IReadOnlyList<GateOverride>? overrides = null) =>
        client.PostAsJsonAsync($"/api/v1/promotions/{request}/decisions",
            new DecisionInput(decision, meaning ?? (decision == DecisionKind.Approve ? SignatureMeaning.Approved : SignatureMeaning.Rejected), reason, password, overrides), RegistryClient.Json);

    public static async Task<PromotionView> PromotionAsync(this HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<PromotionView>($"/api/v1/promotions/{id}", RegistryClient.Json))!;

    public static async Task<ModelVersionView> VersionAsync(this HttpClient client, string model, int version) =>
        (await client.GetFromJsonAsync<ModelVersionView>($"/api/v1/models/{model}/versions/{version}", RegistryClient.Json))!;

    /// <summary>Runs an evaluation through the job server and waits until it succeeded.</summary>
    public static async Task<EvaluationView> EvaluateAsync(this HttpClient client, string model, int version, string dataset, int datasetVersion)
    {
        var response = await client.PostAsJsonAsync("/api/v1/evaluations", new EvaluationRequest(model, version, dataset, datasetVersion), RegistryClient.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<EvaluationView>(RegistryClient.Json))!;
        var run = await Eventually.GetAsync(async () =>
        {
            var current = await client.GetFromJsonAsync<EvaluationView>($"/api/v1/evaluations/{queued.Id}", RegistryClient.Json);
            return current!.Status is EvaluationStatus.Succeeded or EvaluationStatus.Failed ? current : null;
        }, TimeSpan.FromSeconds(60), "the evaluation job");
        Assert.True(run.Status == EvaluationStatus.Succeeded, run.Error);
        return run;
    }

    /// <summary>The user's id, looked up by an admin.</summary>
    public static async Task<string> UserIdAsync(this ControlPlaneWebFactory app, string name)
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var page = await admin.GetFromJsonAsync<Page<UserSummary>>($"/api/v1/admin/users?search={name}", RegistryClient.Json);
        return Assert.Single(page!.Items, u => u.UserName == name).Id;
    }
}
