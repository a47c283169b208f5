using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.TestModels;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Production;

/// <summary>Production monitors and telemetry retention through the app's whole HTTP pipeline on a real SQLite file.</summary>
[Collection(WebCollection.Name)]
public sealed class ProductionMonitorsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    private async Task<string> ModelAsync()
    {
        var model = await Scientist.CreateModelAsync("prod");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.Identity());
        return model;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task A_monitor_round_trips_through_create_get_update_windows_and_compute_and_a_stale_update_is_a_409()
    {
        var model = await ModelAsync();
        var request = new ProductionMonitorRequest("live", ProductionTarget.Versions, "1", Settings: new ProductionMonitorSettings { LatencyP99Ms = 120 });

        var created = await Scientist.PostAsJsonAsync($"/api/v1/models/{model}/production-monitors", request, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var monitor = (await created.Content.ReadFromJsonAsync<ProductionMonitorView>(RegistryClient.Json))!;
        Assert.Equal($"/api/v1/models/{model}/production-monitors/{monitor.Id}", created.Headers.Location?.OriginalString);
        var read = await Reviewer.GetFromJsonAsync<ProductionMonitorView>($"/api/v1/models/{model}/production-monitors/live", RegistryClient.Json);
        Assert.Equal(120, read!.Settings.LatencyP99Ms);
        Assert.Single((await Reviewer.GetFromJsonAsync<List<ProductionMonitorView>>($"/api/v1/models/{model}/production-monitors", RegistryClient.Json))!);

        var updated = await Scientist.PutAsJsonAsync($"/api/v1/models/{model}/production-monitors/{monitor.Id}",
            request with { WindowSize = ProductionWindowSize.Day, ConcurrencyStamp = monitor.ConcurrencyStamp }, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(ProductionWindowSize.Day, (await updated.Content.ReadFromJsonAsync<ProductionMonitorView>(RegistryClient.Json))!.WindowSize);
        var stale = await Admin.PutAsJsonAsync($"/api/v1/models/{model}/production-monitors/live",
            request with { Description = "lost", ConcurrencyStamp = monitor.ConcurrencyStamp }, RegistryClient.Json);
        await ProblemAsync(stale, HttpStatusCode.Conflict);

        var windows = await Reviewer.GetFromJsonAsync<Page<ProductionWindowView>>($"/api/v1/models/{model}/production-monitors/live/windows?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", RegistryClient.Json);
        Assert.Equal(0, windows!.TotalCount);
        var compute = await Scientist.PostAsync($"/api/v1/models/{model}/production-monitors/live/compute", null);
        Assert.Equal(HttpStatusCode.Accepted, compute.StatusCode);
        Assert.False(string.IsNullOrEmpty((await compute.Content.ReadFromJsonAsync<ComputeWindowsResponse>())!.JobId));
        await ProblemAsync(await Reviewer.PostAsync($"/api/v1/models/{model}/production-monitors/live/compute", null), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_definitions_are_typed_400s_a_reviewer_gets_403_and_an_unknown_model_404_and_none_stores_anything()
    {
        var model = await ModelAsync();
        var url = $"/api/v1/models/{model}/production-monitors";

        var alpha = await ProblemAsync(await Scientist.PostAsJsonAsync(url, new ProductionMonitorRequest("m", ProductionTarget.Versions, "1",
            Settings: new ProductionMonitorSettings { DriftAlpha = 1.5 }), RegistryClient.Json), HttpStatusCode.BadRequest);
        Assert.True(alpha.GetProperty("errors").TryGetProperty("settings.driftAlpha", out _));
        var version = await ProblemAsync(await Scientist.PostAsJsonAsync(url, new ProductionMonitorRequest("m", ProductionTarget.Versions, "2"), RegistryClient.Json), HttpStatusCode.BadRequest);
        Assert.True(version.GetProperty("errors").TryGetProperty("targetValue", out _));
        var target = await Scientist.PostAsync(url, new StringContent("""{"name":"m","target":"Everything","targetValue":"1"}""", System.Text.Encoding.UTF8, "application/json"));
        await ProblemAsync(target, HttpStatusCode.BadRequest);
        await ProblemAsync(await Reviewer.PostAsJsonAsync(url, new ProductionMonitorRequest("m", ProductionTarget.Versions, "1"), RegistryClient.Json), HttpStatusCode.Forbidden);
        await ProblemAsync(await Scientist.GetAsync("/api/v1/models/no-such-model/production-monitors"), HttpStatusCode.NotFound);

        Assert.Empty((await Scientist.GetFromJsonAsync<List<ProductionMonitorView>>(url, RegistryClient.Json))!);
    }

    [Fact]
    public async Task Only_an_admin_sets_telemetry_retention_within_1_to_3650_days_with_a_reason_and_the_change_is_audited()
    {
        var model = await ModelAsync();
        var url = $"/api/v1/models/{model}/telemetry-retention";

        await ProblemAsync(await Scientist.PutAsJsonAsync(url, new TelemetryRetentionRequest(30, "the owner wants less")), HttpStatusCode.Forbidden);
        await ProblemAsync(await Admin.PutAsJsonAsync(url, new TelemetryRetentionRequest(0, "none")), HttpStatusCode.BadRequest);
        await ProblemAsync(await Admin.PutAsJsonAsync(url, new TelemetryRetentionRequest(3651, "ten years and a day")), HttpStatusCode.BadRequest);
        await ProblemAsync(await Admin.PutAsJsonAsync(url, new TelemetryRetentionRequest(30, " ")), HttpStatusCode.BadRequest);
        Assert.Equal(new TelemetryRetentionView(model, null, 183, 183), await Reviewer.GetFromJsonAsync<TelemetryRetentionView>(url));

        var set = await Admin.PutAsJsonAsync(url, new TelemetryRetentionRequest(3650, "contract requires ten years"));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new TelemetryRetentionView(model, 3650, 183, 3650), await Reviewer.GetFromJsonAsync<TelemetryRetentionView>(url));
        var reset = await Admin.PutAsJsonAsync(url, new TelemetryRetentionRequest(null, "back to the default"));
        Assert.Equal(183, (await reset.Content.ReadFromJsonAsync<TelemetryRetentionView>())!.EffectiveDays);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var id = (await db.Models.Where(m => m.Name == model).Select(m => m.Id).SingleAsync()).ToString();
        var events = await db.AuditEvents.Where(e => e.EntityId == id && e.Action == "model.telemetry_retention_changed").OrderBy(e => e.Sequence).Select(e => e.Reason).ToListAsync();
        Assert.Equal(["contract requires ten years", "back to the default"], events);
    }
}
