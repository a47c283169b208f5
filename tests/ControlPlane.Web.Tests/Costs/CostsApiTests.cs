using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Costs;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Costs;

/// <summary>Usage recorded by the in-process job server for real drift runs, read back through the cost API.</summary>
[Collection(WebCollection.Name)]
public sealed class CostsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    private static string Rows(string header, int count, int shift)
    {
        var csv = new StringBuilder(header + "\n");
        for (var i = 0; i < count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i + shift},{(i % 3 == 0 ? "a" : "b")}\n");
        return csv.ToString();
    }

    private async Task<DriftRunView> RunAsync(DriftMonitorRequest request)
    {
        var created = await Scientist.PostAsJsonAsync("/api/v1/drift/monitors", request, RegistryClient.Json);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var monitor = (await created.Content.ReadFromJsonAsync<DriftMonitorView>(RegistryClient.Json))!;
        var response = await Scientist.PostAsync($"/api/v1/drift/monitors/{monitor.Id}/runs", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DriftRunView>(RegistryClient.Json))!;
    }

    /// <summary>The run's usage row once its job has ended (the filter completes it after the job returns).</summary>
    private async Task<CostRunView> UsageOfAsync(Guid runId) =>
        await Eventually.GetAsync(async () =>
        {
            var runs = await Reviewer.GetFromJsonAsync<List<CostRunView>>("/api/v1/costs/runs?top=200&from=2021-01-01T00:00:00Z&to=2031-01-01T00:00:00Z", RegistryClient.Json);
            return runs!.FirstOrDefault(r => r.RunId == runId && r.EndedAt is not null);
        }, TimeSpan.FromSeconds(60), "the run's usage row");

    [Fact]
    public async Task A_drift_run_through_the_job_server_records_its_wall_time_own_cpu_rows_worker_and_queue()
    {
        var dataset = await Scientist.CreateDatasetAsync("usage");
        await Scientist.AddVersionAsync(dataset, Rows("x,segment", 3000, 0));
        await Scientist.AddVersionAsync(dataset, Rows("x,segment", 2500, 40));
        var run = await RunAsync(new DriftMonitorRequest($"u-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDataset: dataset));

        var usage = await UsageOfAsync(run.Id);

        Assert.Equal(("DriftRunJob", JobUsageOutcome.Succeeded, 2500L), (usage.Kind, usage.Outcome, usage.Rows!.Value)); // the current version's rows
        Assert.Equal(("web-tests-in-process", "default"), (usage.Worker, usage.Queue));
        Assert.True(usage.CpuMs > 0, $"CPU {usage.CpuMs} ms");
        Assert.True(usage.WallMs > 0 && usage.PeakMemoryBytes > 0 && !usage.PeakMemoryIsChild);
        Assert.Equal(0, usage.GpuMs);
    }

    [Fact]
    public async Task A_drift_run_that_fails_on_bad_data_is_recorded_as_failed()
    {
        var reference = await Scientist.CreateDatasetAsync("usage-ref");
        await Scientist.AddVersionAsync(reference, Rows("x,segment", 100, 0));
        var other = await Scientist.CreateDatasetAsync("usage-bad");
        await Scientist.AddVersionAsync(other, Rows("y,segment", 100, 0));
        var run = await RunAsync(new DriftMonitorRequest($"f-{Guid.NewGuid():N}"[..14], new DatasetRef(reference, 1), CurrentDatasetVersion: new DatasetRef(other, 1)));

        var usage = await UsageOfAsync(run.Id);

        Assert.Equal(("DriftRunJob", JobUsageOutcome.Failed), (usage.Kind, usage.Outcome));
        var stored = await Reviewer.GetFromJsonAsync<DriftRunView>($"/api/v1/drift/runs/{run.Id}", RegistryClient.Json);
        Assert.Equal(DriftRunStatus.Failed, stored!.Status);
    }

    private static async Task ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Readers_see_costs_only_admins_set_rates_and_bad_input_is_a_400()
    {
        await ExpectAsync(HttpStatusCode.OK, Reviewer.GetAsync("/api/v1/costs?groupBy=kind"));
        await ExpectAsync(HttpStatusCode.OK, Reviewer.GetAsync("/api/v1/costs/wasted-retrains"));
        await ExpectAsync(HttpStatusCode.OK, Reviewer.GetAsync("/api/v1/costs/idle-monitors"));
        await ExpectAsync(HttpStatusCode.BadRequest, Reviewer.GetAsync("/api/v1/costs?groupBy=color"));
        await ExpectAsync(HttpStatusCode.BadRequest, Reviewer.GetAsync("/api/v1/costs?from=2026-02-01&to=2026-01-01"));
        await ExpectAsync(HttpStatusCode.BadRequest, Reviewer.GetAsync("/api/v1/costs/runs?top=0"));
        await ExpectAsync(HttpStatusCode.Unauthorized, app.ClientWithToken(null).GetAsync("/api/v1/costs"));

        var rates = new CostRatesInput(null, new Dictionary<string, double> { ["gpu"] = 2.5 });
        await ExpectAsync(HttpStatusCode.Forbidden, Scientist.PutAsJsonAsync("/api/v1/admin/cost-rates", rates));
        await ExpectAsync(HttpStatusCode.Forbidden, Scientist.GetAsync("/api/v1/admin/cost-rates"));
        var bad = await Admin.PutAsJsonAsync("/api/v1/admin/cost-rates", new CostRatesInput(null, new Dictionary<string, double> { ["cpu"] = 1 }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Unknown queue 'cpu'", await bad.Content.ReadAsStringAsync());
        var saved = await Admin.PutAsJsonAsync("/api/v1/admin/cost-rates", rates);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(2.5, (await saved.Content.ReadFromJsonAsync<CostRatesView>(RegistryClient.Json))!.Queues["gpu"]);
        await ExpectAsync(HttpStatusCode.NotFound, Admin.PutAsJsonAsync("/api/v1/models/no-such-model/budget", new BudgetInput(5)));
    }
}
