using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Schedules;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;
using ControlPlane.Workers.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Schedules;

/// <summary>The schedules of every kind through the API, the real Hangfire storage and the in-process job server.</summary>
[Collection(WebCollection.Name)]
public sealed class SchedulesApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);

    [Fact]
    public async Task The_list_holds_every_kind_with_its_description_and_the_next_run_in_its_time_zone()
    {
        var monitor = await Scientist.MonitorAsync(Admin, "30 2 * * *", "Asia/Tokyo");
        var spec = await Scientist.SpecAsync(Admin, "*/15 * * * *", "UTC");

        var before = DateTime.UtcNow;
        var all = await Admin.SchedulesAsync();

        Assert.Contains(all, s => s.Kind == ScheduleKind.AuditDigest && s.Id == "audit-digest" && s.BuiltIn);
        Assert.Contains(all, s => s.Kind == ScheduleKind.PromotionSweep && s.Id == "promotion-sweep" && s.Description == "every 15 minutes");
        var drift = Assert.Single(all, s => s.Id == $"drift-monitor:{monitor.Id}");
        Assert.Equal((ScheduleKind.DriftMonitor, "at 02:30 every day", "Asia/Tokyo", true), (drift.Kind, drift.Description, drift.TimeZone, drift.Enabled));
        Assert.Equal($"/drift/monitors/{monitor.Id}", drift.Link);
        // 02:30 in Tokyo (UTC+9, no daylight saving) is 17:30 UTC the day before.
        var expected = before.Date.AddHours(17.5);
        if (expected <= before)
            expected = expected.AddDays(1);
        Assert.Equal(expected, drift.NextRunUtc);
        var training = Assert.Single(all, s => s.Id == $"training-spec:{spec.Id}");
        Assert.Equal((ScheduleKind.TrainingSpec, "every 15 minutes"), (training.Kind, training.Description));
    }

    [Fact]
    public async Task The_last_run_of_a_monitor_schedule_counts_the_runs_started_by_hand()
    {
        var monitor = await Scientist.MonitorAsync(Admin, "0 6 1 1 *", "UTC"); // once a year: the schedule itself does not fire here
        var id = $"drift-monitor:{monitor.Id}";
        Assert.Null(Assert.Single(await Admin.SchedulesAsync(), s => s.Id == id).LastRunUtc);

        var queued = await (await Scientist.PostAsync($"/api/v1/drift/monitors/{monitor.Id}/runs", null)).ReadAsync<DriftRunView>(HttpStatusCode.Accepted);
        var run = await Eventually.GetAsync(async () =>
        {
            var r = await Scientist.GetFromJsonAsync<DriftRunView>($"/api/v1/drift/runs/{queued.Id}", RegistryClient.Json);
            return r!.Status is DriftRunStatus.Succeeded or DriftRunStatus.Failed ? r : null;
        }, TimeSpan.FromSeconds(60), "the drift run");

        var listed = Assert.Single(await Admin.SchedulesAsync(), s => s.Id == id);
        var one = await (await Admin.GetAsync($"/api/v1/schedules/{id}")).ReadAsync<ScheduleView>(HttpStatusCode.OK);
        foreach (var view in new[] { listed, one })
        {
            Assert.NotNull(view.LastRunUtc);
            Assert.True(view.LastRunUtc >= run.RequestedAt, $"{view.LastRunUtc:O} is before the run was requested ({run.RequestedAt:O})");
            Assert.Equal(run.Status.ToString(), view.LastOutcome);
        }
    }

    [Fact]
    public async Task An_admin_edit_changes_the_monitor_and_the_recurring_job_and_the_misfire_policy_survives_a_monitor_edit()
    {
        var monitor = await Scientist.MonitorAsync(Admin);
        var id = $"drift-monitor:{monitor.Id}";

        var edited = await (await Admin.PutAsJsonAsync($"/api/v1/schedules/{id}", new ScheduleInput("0 3 * * 1", "America/New_York", MisfirePolicy.Skip, "quieter hours"), RegistryClient.Json))
            .ReadAsync<ScheduleView>(HttpStatusCode.OK);

        Assert.Equal(("0 3 * * 1", "at 03:00 on Monday", "America/New_York", MisfirePolicy.Skip), (edited.Cron, edited.Description, edited.TimeZone, edited.Misfire));
        var stored = await Scientist.GetFromJsonAsync<DriftMonitorView>($"/api/v1/drift/monitors/{monitor.Id}", RegistryClient.Json);
        Assert.Equal(("0 3 * * 1", "America/New_York"), (stored!.Schedule, stored.TimeZone));
        Assert.Equal(("0 3 * * 1", "America/New_York", MisfireHandlingMode.Ignorable), RecurringJob(id));

        // The monitor's own editor reschedules the job; the admin's misfire policy stays.
        var request = new DriftMonitorRequest(stored.Name, stored.Reference, CurrentDataset: stored.CurrentDataset, Schedule: "0 4 * * 1", TimeZone: "UTC");
        // With proposals needing approval (the default), a data scientist's editor cannot change the schedule itself.
        var bypass = await Scientist.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Forbidden, bypass.StatusCode);
        Assert.Contains("propose it", await bypass.Content.ReadAsStringAsync());
        Assert.Equal(("0 3 * * 1", "America/New_York", MisfireHandlingMode.Ignorable), RecurringJob(id));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request, RegistryClient.Json)).StatusCode);
        Assert.Equal(("0 4 * * 1", "UTC", MisfireHandlingMode.Ignorable), RecurringJob(id));

        var back = await (await Admin.PutAsJsonAsync($"/api/v1/schedules/{Uri.EscapeDataString(id)}", new ScheduleInput("0 4 * * 1", "UTC", MisfirePolicy.RunOnce, "catch up again"), RegistryClient.Json))
            .ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.Equal(MisfirePolicy.RunOnce, back.Misfire);
        Assert.Equal(MisfireHandlingMode.Relaxed, RecurringJob(id).Misfire);
    }

    [Fact]
    public async Task A_paused_schedule_queues_nothing_and_a_resumed_one_fires_when_triggered()
    {
        var monitor = await Scientist.MonitorAsync(Admin);
        var id = $"drift-monitor:{monitor.Id}";

        var paused = await (await Admin.PostReasonAsync($"/api/v1/schedules/{id}/pause", "data source down")).ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.False(paused.Enabled);
        Assert.Null(paused.NextRunUtc);
        Assert.Null(RecurringJobOrNull(id));
        // A job that was already queued when the pause happened still finds nothing to do.
        await ScheduleJob().RunAsync(monitor.Id, CancellationToken.None);
        Assert.Null(await RunsAsync(monitor.Id));
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostReasonAsync($"/api/v1/schedules/{id}/trigger", "try")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostReasonAsync($"/api/v1/schedules/{id}/pause", "again")).StatusCode);

        var resumed = await (await Admin.PostReasonAsync($"/api/v1/schedules/{id}/resume", "source back")).ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.True(resumed.Enabled);
        Assert.NotNull(RecurringJobOrNull(id));

        var triggered = await (await Admin.PostReasonAsync($"/api/v1/schedules/{id}/trigger", "check now")).ReadAsync<TriggeredJob>(HttpStatusCode.Accepted);
        Assert.False(string.IsNullOrEmpty(triggered.JobId));
        var run = await Eventually.GetAsync(async () => await RunsAsync(monitor.Id), TimeSpan.FromSeconds(30), "the triggered scheduled run");
        Assert.Equal(("schedule", "system"), (run.Trigger, run.RequestedBy));
        var history = await Eventually.GetAsync(async () =>
        {
            var runs = await Admin.GetFromJsonAsync<List<ScheduleRun>>($"/api/v1/schedules/{id}/history", RegistryClient.Json);
            return runs!.FirstOrDefault(r => r.JobId == triggered.JobId && r.State == "Succeeded");
        }, TimeSpan.FromSeconds(30), "the triggered job in the history");
        Assert.NotNull(history.DurationMs);

        // Paused again, the schedule has no recurring job any more, but still shows the run the history remembers.
        var pausedAgain = await (await Admin.PostReasonAsync($"/api/v1/schedules/{id}/pause", "done checking")).ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.Null(RecurringJobOrNull(id));
        Assert.Equal((triggered.JobId, "Succeeded", (DateTime?)history.AtUtc), (pausedAgain.LastJobId, pausedAgain.LastOutcome, pausedAgain.LastRunUtc));
    }

    [Fact]
    public async Task A_monitor_schedule_is_deleted_by_clearing_it_and_built_in_jobs_can_only_be_paused()
    {
        var monitor = await Scientist.MonitorAsync(Admin);
        var id = $"drift-monitor:{monitor.Id}";

        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.DeleteAsync($"/api/v1/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/schedules/{id}?reason=retired")).StatusCode);
        var kept = await Scientist.GetFromJsonAsync<DriftMonitorView>($"/api/v1/drift/monitors/{monitor.Id}", RegistryClient.Json);
        Assert.Null(kept!.Schedule);
        Assert.Null(RecurringJobOrNull(id));
        Assert.DoesNotContain(await Admin.SchedulesAsync(), s => s.Id == id);

        var created = await (await Admin.PostAsJsonAsync("/api/v1/schedules", new ScheduleInput("*/30 * * * *", "UTC", null, "back on", id), RegistryClient.Json))
            .ReadAsync<ScheduleView>(HttpStatusCode.Created);
        Assert.Equal(("every 30 minutes", true), (created.Description, created.Enabled));
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/api/v1/schedules", new ScheduleInput("*/30 * * * *", "UTC", null, "twice", id), RegistryClient.Json)).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await Admin.DeleteAsync("/api/v1/schedules/promotion-sweep?reason=no")).StatusCode);
    }

    [Fact]
    public async Task A_built_in_job_can_be_rescheduled_paused_and_resumed()
    {
        var edited = await (await Admin.PutAsJsonAsync("/api/v1/schedules/audit-digest", new ScheduleInput("0 */2 * * *", "UTC", MisfirePolicy.Skip, "less often"), RegistryClient.Json))
            .ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.Equal(("every 2 hours", MisfirePolicy.Skip), (edited.Description, edited.Misfire));
        Assert.Equal(("0 */2 * * *", "UTC", MisfireHandlingMode.Ignorable), RecurringJob("audit-digest"));

        await (await Admin.PostReasonAsync("/api/v1/schedules/audit-digest/pause", "maintenance")).ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.Null(RecurringJobOrNull("audit-digest"));
        await (await Admin.PostReasonAsync("/api/v1/schedules/audit-digest/resume", "done")).ReadAsync<ScheduleView>(HttpStatusCode.OK);
        Assert.Equal(("0 */2 * * *", "UTC", MisfireHandlingMode.Ignorable), RecurringJob("audit-digest"));
        await (await Admin.PutAsJsonAsync("/api/v1/schedules/audit-digest", new ScheduleInput("0 * * * *", "UTC", MisfirePolicy.RunOnce, "restore default"), RegistryClient.Json))
            .ReadAsync<ScheduleView>(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("61 * * * *", "UTC", "why", "cron", "not a valid cron expression")]
    [InlineData("0 3 * *", "UTC", "why", "cron", "has 4 fields")]
    [InlineData("0 3 * * *", "Mars/Olympus", "why", "timeZone", "Unknown time zone 'Mars/Olympus'")]
    [InlineData("0 3 * * *", "UTC", "  ", "reason", "every schedule change is audited with a reason")]
    [InlineData("0 3 * * *", "UTC", null, "reason", "every schedule change is audited with a reason")]
    public async Task Bad_input_is_a_400_that_names_the_field(string cron, string timeZone, string? reason, string field, string message)
    {
        var response = await Admin.PutAsJsonAsync("/api/v1/schedules/promotion-sweep", new ScheduleInput(cron, timeZone, null, reason), RegistryClient.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/v1/schedules/nightly-thing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/v1/schedules/drift-monitor:{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostReasonAsync($"/api/v1/schedules/training-spec:{Guid.NewGuid()}/pause", "x")).StatusCode);
    }

    private DriftScheduleJob ScheduleJob() => ActivatorUtilities.CreateInstance<DriftScheduleJob>(app.Services.CreateScope().ServiceProvider);

    private async Task<DriftRunView?> RunsAsync(Guid monitor)
    {
        var runs = await Scientist.GetFromJsonAsync<Page<DriftRunView>>($"/api/v1/drift/monitors/{monitor}/runs", RegistryClient.Json);
        return runs!.Items.FirstOrDefault(r => r.Trigger == "schedule");
    }

    private static (string? Cron, string? TimeZone, MisfireHandlingMode Misfire) RecurringJob(string id) =>
        RecurringJobOrNull(id) ?? throw new Xunit.Sdk.XunitException($"{id} is not a recurring job.");

    private static (string? Cron, string? TimeZone, MisfireHandlingMode Misfire)? RecurringJobOrNull(string id)
    {
        using var connection = JobStorage.Current.GetConnection();
        var hash = connection.GetAllEntriesFromHash($"recurring-job:{id}");
        if (hash is null || !hash.TryGetValue("Cron", out var cron))
            return null;
        var misfire = hash.TryGetValue("Misfire", out var m) ? Enum.Parse<MisfireHandlingMode>(m) : MisfireHandlingMode.Relaxed;
        return (cron, hash.GetValueOrDefault("TimeZoneId"), misfire);
    }
}
