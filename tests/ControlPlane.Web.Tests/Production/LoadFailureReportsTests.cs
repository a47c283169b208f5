using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Production;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using static ControlPlane.Web.Tests.Production.IngestFixture;

namespace ControlPlane.Web.Tests.Production;

/// <summary>
/// A serving app reports a version it could not load: kept on the version's trail and notified, once per instance and
/// hour; only the serving token of the model's owner (or an admin) may say it; bad reports are refused, long errors cut (the API's input rules refuse any string over 4,000 characters first).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class LoadFailureReportsTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task The_owners_serving_token_reports_once_per_instance_and_hour_and_the_report_is_on_the_trail_and_notified()
    {
        var (user, owner) = await ScientistAsync();
        var model = await ModelAsync(owner);
        var serving = app.ClientWithToken(await IssueTokenAsync(app, user, ["ingest"], [model]));

        Assert.True(await ReportAsync(serving, model, 2, new("serving", "Load model from /cache/ab.onnx failed: Protobuf parsing failed.", "pod-a")));
        Assert.False(await ReportAsync(serving, model, 2, new("serving", "the same failure, retried with back-off", "pod-a")));
        Assert.True(await ReportAsync(serving, model, 2, new("serving", "Protobuf parsing failed.", "pod-b")));
        Assert.True(await ReportAsync(serving, model, 1, new(null, "CUDA failure 2: out of memory", "pod-a")));

        var v2 = (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/models/{model}/versions/2")).GetProperty("id").GetGuid();
        var reasons = await ReasonsAsync(v2);
        Assert.Equal(2, reasons.Count);
        Assert.Contains($"{model} v2 failed to load on pod-a (following @serving): Load model from /cache/ab.onnx failed: Protobuf parsing failed.", reasons);
        Assert.Contains($"{model} v2 failed to load on pod-b (following @serving): Protobuf parsing failed.", reasons);
        var notified = await owner.GetFromJsonAsync<JsonElement>("/api/v1/notifications?count=100");
        Assert.Contains(notified.EnumerateArray(), n => n.GetProperty("title").GetString() == $"{model} v1 failed to load on pod-a");
    }

    [Fact]
    public async Task Only_the_owners_or_an_admins_ingest_token_for_the_model_may_report()
    {
        var (user, owner) = await ScientistAsync();
        var model = await ModelAsync(owner);
        var other = await ModelAsync(owner);
        var (stranger, _) = await ScientistAsync();
        var report = new LoadFailureReport("serving", "failed", "pod-x");

        await RefusedAsync(await app.ClientWithToken(await IssueTokenAsync(app, user, ["read", "write"])).PostAsJsonAsync(Route(model, 1), report), "lacks the ingest scope");
        await RefusedAsync(await app.ClientWithToken(await IssueTokenAsync(app, user, ["ingest"], [other])).PostAsJsonAsync(Route(model, 1), report), $"limited to the models {other}");
        await RefusedAsync(await app.ClientWithToken(await IssueTokenAsync(app, stranger, ["ingest"], [model])).PostAsJsonAsync(Route(model, 1), report), $"belongs to {user}");
        await RefusedAsync(await app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]).PostAsJsonAsync(Route(model, 1), report), "needs the role");
        var v1 = (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/models/{model}/versions/1")).GetProperty("id").GetGuid();
        Assert.Empty(await ReasonsAsync(v1));
        Assert.True(await ReportAsync(Admin, model, 1, report));
    }

    [Fact]
    public async Task Bad_reports_are_refused_and_record_nothing_and_a_long_error_is_cut()
    {
        var (user, owner) = await ScientistAsync();
        var model = await ModelAsync(owner);
        var serving = app.ClientWithToken(await IssueTokenAsync(app, user, ["ingest"], [model]));

        Assert.Equal(HttpStatusCode.NotFound, (await serving.PostAsJsonAsync(Route(model, 9), new LoadFailureReport(null, "failed", "pod"))).StatusCode);
        await InvalidAsync(await serving.PostAsJsonAsync(Route(model, 1), new LoadFailureReport(null, "  ", "pod")), "error");
        await InvalidAsync(await serving.PostAsJsonAsync(Route(model, 1), new LoadFailureReport(null, "failed", "pod\nforged line")), "host");
        await InvalidAsync(await serving.PostAsJsonAsync(Route(model, 1), new LoadFailureReport(new string('a', 101), "failed", "pod")), "alias");
        var v1 = (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/models/{model}/versions/1")).GetProperty("id").GetGuid();
        Assert.Empty(await ReasonsAsync(v1));

        Assert.True(await ReportAsync(serving, model, 1, new(null, new string('e', 3_000), "pod")));
        var reason = Assert.Single(await ReasonsAsync(v1));
        Assert.EndsWith(new string('e', LoadFailureReports.MaxErrorLength - 1) + "…", reason);
    }

    private static string Route(string model, int version) => $"/api/v1/models/{model}/versions/{version}/load-failures";

    private static async Task<bool> ReportAsync(HttpClient client, string model, int version, LoadFailureReport report)
    {
        var response = await client.PostAsJsonAsync(Route(model, version), report);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LoadFailureReceipt>())!.Recorded;
    }

    private async Task<List<string>> ReasonsAsync(Guid versionId)
    {
        var page = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=serving.load_failed&entityType=modelVersion&entityId={versionId}");
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!).ToList();
    }

    private async Task<(string User, HttpClient Client)> ScientistAsync()
    {
        var user = $"ds-{Guid.NewGuid():N}"[..12];
        (await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(user, $"{user}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        return (user, app.ClientWithToken(await app.IssueTokenAsync(user)));
    }

    private static async Task InvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.True(problem!.Errors.ContainsKey(field), $"errors name {string.Join(", ", problem.Errors.Keys)}");
    }
}
