using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Webhooks;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Drift;

/// <summary>Drift monitors through the API and the in-process job server, with a real webhook receiver.</summary>
[Collection(WebCollection.Name)]
public sealed class DriftApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    /// <summary>200 rows: x = 0..199 + shift, and a segment with the given share of "a".</summary>
    private static string Month(int shift, double shareOfA)
    {
        var csv = new StringBuilder("x,segment\n");
        for (var i = 0; i < 200; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i + shift},{(i < shareOfA * 200 ? "a" : "b")}\n");
        return csv.ToString();
    }

    private async Task<string> DatasetWithMonthsAsync(params string[] months)
    {
        var dataset = await Scientist.CreateDatasetAsync("drift");
        foreach (var month in months)
            await Scientist.AddVersionAsync(dataset, month);
        return dataset;
    }

    private async Task<DriftRunView> RunAsync(Guid monitor)
    {
        var response = await Scientist.PostAsync($"/api/v1/drift/monitors/{monitor}/runs", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<DriftRunView>(RegistryClient.Json))!;
        return await Eventually.GetAsync(async () =>
        {
            var run = await Reviewer.GetFromJsonAsync<DriftRunView>($"/api/v1/drift/runs/{queued.Id}", RegistryClient.Json);
            return run!.Status is DriftRunStatus.Succeeded or DriftRunStatus.Failed ? run : null;
        }, TimeSpan.FromSeconds(60), "the drift run");
    }

    private async Task<DriftMonitorView> CreateAsync(DriftMonitorRequest request)
    {
        var response = await Scientist.PostAsJsonAsync("/api/v1/drift/monitors", request, RegistryClient.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DriftMonitorView>(RegistryClient.Json))!;
    }

    [Fact]
    public async Task A_shifted_month_is_found_drifted_alerts_once_per_cooldown_and_signs_its_webhook()
    {
        var dataset = await DatasetWithMonthsAsync(Month(0, 0.5), Month(100, 0.9));
        using var receiver = new WebhookReceiver();
        const string secret = "s3cret-shared-with-the-receiver";
        var monitor = await CreateAsync(new DriftMonitorRequest($"m-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDataset: dataset,
            WebhookUrl: receiver.Url, WebhookSecret: secret, AlertCooldownMinutes: 60));
        Assert.True(monitor.HasWebhookSecret);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(monitor));

        var run = await RunAsync(monitor.Id);

        Assert.True(run.Status == DriftRunStatus.Succeeded, run.Error);
        Assert.Equal(new DatasetRef(dataset, 2), run.Current); // the latest version when the run started
        Assert.True(run.DatasetDrift);
        Assert.Equal(1.0, run.DriftShare);
        var columns = run.Results!.Value.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        var ks = columns["x"].GetProperty("tests")[0];
        Assert.Equal("KolmogorovSmirnov", ks.GetProperty("method").GetString());
        Assert.Equal(0.5, ks.GetProperty("statistic").GetDouble()); // F_ref(99) − F_cur(99) = 100/200 − 0
        Assert.Equal("ChiSquare", columns["segment"].GetProperty("tests")[0].GetProperty("method").GetString());

        var (body, signature, _) = await receiver.NextAsync(TimeSpan.FromSeconds(30));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(expected, signature);
        using (var payload = JsonDocument.Parse(body))
        {
            Assert.Equal("drift.detected", payload.RootElement.GetProperty("event").GetString());
            Assert.Equal(["segment", "x"], payload.RootElement.GetProperty("driftedColumns").EnumerateArray().Select(c => c.GetString()));
        }
        var delivered = await Eventually.GetAsync(async () =>
        {
            var list = await Reviewer.GetFromJsonAsync<List<WebhookDeliveryView>>($"/api/v1/drift/monitors/{monitor.Id}/deliveries", RegistryClient.Json);
            return list!.FirstOrDefault(d => d.Status == WebhookDeliveryStatus.Delivered);
        }, TimeSpan.FromSeconds(30), "the delivery log");
        Assert.Equal((1, 200), (delivered.Attempts, delivered.LastStatusCode));

        // The same drift again inside the cool-down: no second notification, no second webhook.
        var notificationsBefore = (await Reviewer.GetFromJsonAsync<List<NotificationView>>("/api/v1/notifications?count=100", RegistryClient.Json))!
            .Count(n => n.Link!.Contains(monitor.Id.ToString()));
        Assert.Equal(1, notificationsBefore);
        var again = await RunAsync(monitor.Id);
        Assert.True(again.DatasetDrift);
        var notificationsAfter = (await Reviewer.GetFromJsonAsync<List<NotificationView>>("/api/v1/notifications?count=100", RegistryClient.Json))!
            .Count(n => n.Link!.Contains(monitor.Id.ToString()));
        Assert.Equal(1, notificationsAfter);
        Assert.Single((await Reviewer.GetFromJsonAsync<List<WebhookDeliveryView>>($"/api/v1/drift/monitors/{monitor.Id}/deliveries", RegistryClient.Json))!);

        var history = await Reviewer.GetFromJsonAsync<Page<DriftRunView>>($"/api/v1/drift/monitors/{monitor.Id}/runs", RegistryClient.Json);
        Assert.Equal([again.Id, run.Id], history!.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task The_same_distribution_is_not_drift_and_raises_nothing()
    {
        var dataset = await DatasetWithMonthsAsync(Month(0, 0.5), Month(0, 0.5));
        var monitor = await CreateAsync(new DriftMonitorRequest($"m-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDatasetVersion: new DatasetRef(dataset, 2)));

        var run = await RunAsync(monitor.Id);

        Assert.True(run.Status == DriftRunStatus.Succeeded, run.Error);
        Assert.False(run.DatasetDrift);
        Assert.Equal(0, run.DriftedColumns);
        var ks = run.Results!.Value.GetProperty("columns")[0].GetProperty("tests")[0];
        Assert.Equal(0, ks.GetProperty("statistic").GetDouble());
        Assert.Equal(1, ks.GetProperty("pValue").GetDouble());
        var monitorAfter = await Reviewer.GetFromJsonAsync<DriftMonitorView>($"/api/v1/drift/monitors/{monitor.Id}", RegistryClient.Json);
        Assert.Equal((run.Id, (bool?)false), (monitorAfter!.LastRunId, monitorAfter.LastRunDrifted));
    }

    [Fact]
    public async Task A_schedule_is_a_recurring_job_with_a_stable_id_that_queues_runs_and_goes_away_when_disabled()
    {
        var dataset = await DatasetWithMonthsAsync(Month(0, 0.5));
        var request = new DriftMonitorRequest($"m-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDataset: dataset,
            Schedule: "0 6 * * 1", TimeZone: "Europe/Paris");
        // With schedule proposals needing approval (the default) only an admin creates a monitor with a schedule.
        var monitor = await (await Admin.PostAsJsonAsync("/api/v1/drift/monitors", request, RegistryClient.Json)).Content.ReadFromJsonAsync<DriftMonitorView>(RegistryClient.Json);
        Assert.NotNull(monitor);
        var id = $"drift-monitor:{monitor.Id}";
        using (var connection = JobStorage.Current.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs([id]));
            Assert.Equal(("0 6 * * 1", "Europe/Paris"), (job.Cron, job.TimeZoneId));
        }

        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(id);
        var scheduled = await Eventually.GetAsync(async () =>
        {
            var runs = await Reviewer.GetFromJsonAsync<Page<DriftRunView>>($"/api/v1/drift/monitors/{monitor.Id}/runs", RegistryClient.Json);
            return runs!.Items.FirstOrDefault(r => r.Trigger == "schedule");
        }, TimeSpan.FromSeconds(30), "a scheduled run");
        Assert.Equal("system", scheduled.RequestedBy);

        // A monitor's verdicts are promotion evidence: only its owner (here the admin who made it) or an admin changes it.
        Assert.Equal(HttpStatusCode.Forbidden, (await Scientist.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request with { Enabled = false }, RegistryClient.Json)).StatusCode);
        var disabled = await Admin.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request with { Enabled = false }, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        using (var connection = JobStorage.Current.GetConnection())
            Assert.DoesNotContain(connection.GetRecurringJobs([id]), j => j.Cron is not null);
    }

    [Fact]
    public async Task A_monitors_reference_is_read_once_and_reused_by_later_runs()
    {
        // Unique bytes: files are stored by content, and this test deletes the reference's file.
        var marker = $"x{Guid.NewGuid():N}"[..10];
        var dataset = await DatasetWithMonthsAsync(Month(0, 0.5).Replace("x,", $"{marker},"), Month(30, 0.5).Replace("x,", $"{marker},"));
        var monitor = await CreateAsync(new DriftMonitorRequest($"m-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDatasetVersion: new DatasetRef(dataset, 2)));
        var first = await RunAsync(monitor.Id);
        Assert.True(first.Status == DriftRunStatus.Succeeded, first.Error);

        var reference = await Scientist.GetVersionAsync(dataset, 1);
        File.Delete(Path.Combine(app.DataDirectory, "artifacts", "sha256", reference.Sha256[..2], reference.Sha256));
        var second = await RunAsync(monitor.Id);

        Assert.True(second.Status == DriftRunStatus.Succeeded, second.Error);
        Assert.Equal(first.DriftShare, second.DriftShare);
    }

    [Theory]
    [InlineData("column", "no column named 'salary'")]
    [InlineData("method", "Unknown drift method")]
    [InlineData("ks-on-category", "'ks' compares numbers")]
    [InlineData("cron", "not a valid cron expression")]
    [InlineData("zone", "Unknown time zone")]
    [InlineData("both-current", "not both")]
    [InlineData("webhook", "absolute http(s) URL")]
    public async Task Bad_definitions_are_400_problems_saying_what_is_wrong(string kind, string expected)
    {
        var dataset = await DatasetWithMonthsAsync(Month(0, 0.5));
        var reference = new DatasetRef(dataset, 1);
        var request = new DriftMonitorRequest($"m-{Guid.NewGuid():N}"[..14], reference, CurrentDataset: dataset);
        request = kind switch
        {
            "column" => request with { Settings = new DriftMonitorSettings(Columns: ["salary"]) },
            "method" => request with { Settings = new DriftMonitorSettings(Overrides: new Dictionary<string, ColumnDriftOverride> { ["x"] = new("t-test") }) },
            "ks-on-category" => request with { Settings = new DriftMonitorSettings(Overrides: new Dictionary<string, ColumnDriftOverride> { ["segment"] = new("ks") }) },
            "cron" => request with { Schedule = "every monday" },
            "zone" => request with { TimeZone = "Mars/Olympus" },
            "both-current" => request with { CurrentDatasetVersion = reference },
            _ => request with { WebhookUrl = "ftp://example.test/hook" },
        };

        // A data scientist may not create a scheduled monitor at all where schedules need approval (403, ScheduleProposalsTests).
        var sender = kind == "cron" ? Admin : Scientist;
        var response = await sender.PostAsJsonAsync("/api/v1/drift/monitors", request, RegistryClient.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        var stored = await Scientist.GetFromJsonAsync<Page<DriftMonitorView>>($"/api/v1/drift/monitors?search={request.Name}", RegistryClient.Json);
        Assert.Empty(stored!.Items); // nothing half-saved
        var forbidden = await Reviewer.PostAsJsonAsync("/api/v1/drift/monitors", request with { Name = $"r-{Guid.NewGuid():N}"[..14] }, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
