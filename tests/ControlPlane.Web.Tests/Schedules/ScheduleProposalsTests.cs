using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Schedules;
using ControlPlane.Domain.Training;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Hangfire.Storage;

namespace ControlPlane.Web.Tests.Schedules;

/// <summary>Data scientists propose schedules for what they own; admins approve or reject, or the setting applies them at once.</summary>
[Collection(WebCollection.Name)]
public sealed class ScheduleProposalsTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);

    [Fact]
    public async Task With_approval_required_a_proposal_waits_until_an_admin_approves_it()
    {
        var monitor = await Scientist.MonitorAsync(Admin);
        var id = $"drift-monitor:{monitor.Id}";

        var proposal = await (await Scientist.PostAsJsonAsync("/api/v1/schedules/proposals", new ScheduleProposalInput(id, "0 5 * * *", "Europe/Berlin", "data lands at 04:30"), RegistryClient.Json))
            .ReadAsync<ScheduleProposalView>(HttpStatusCode.Created);

        Assert.Equal((ScheduleProposalStatus.Pending, "at 05:00 every day"), (proposal.Status, proposal.Description));
        Assert.Equal("0 6 * * 1", (await MonitorAsync(monitor.Id)).Schedule);
        var mine = await Scientist.GetFromJsonAsync<List<ScheduleProposalView>>("/api/v1/schedules/proposals", RegistryClient.Json);
        Assert.Contains(mine!, p => p.Id == proposal.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await Scientist.PostReasonAsync($"/api/v1/schedules/proposals/{proposal.Id}/approve", "self")).StatusCode);

        var approved = await (await Admin.PostReasonAsync($"/api/v1/schedules/proposals/{proposal.Id}/approve", "fine")).ReadAsync<ScheduleProposalView>(HttpStatusCode.OK);

        Assert.Equal((ScheduleProposalStatus.Approved, "admin"), (approved.Status, approved.DecidedBy));
        var applied = await MonitorAsync(monitor.Id);
        Assert.Equal(("0 5 * * *", "Europe/Berlin"), (applied.Schedule, applied.TimeZone));
        Assert.Contains(await Admin.SchedulesAsync(), s => s.Id == id && s.Cron == "0 5 * * *");
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostReasonAsync($"/api/v1/schedules/proposals/{proposal.Id}/reject", "too late")).StatusCode);
    }

    [Fact]
    public async Task A_rejected_proposal_changes_nothing_and_others_monitors_cannot_be_proposed_for()
    {
        var monitor = await Scientist.MonitorAsync(Admin);
        var id = $"drift-monitor:{monitor.Id}";
        var proposal = await (await Scientist.PostAsJsonAsync("/api/v1/schedules/proposals", new ScheduleProposalInput(id, "* * * * *", "UTC", "as fresh as possible"), RegistryClient.Json))
            .ReadAsync<ScheduleProposalView>(HttpStatusCode.Created);

        var rejected = await (await Admin.PostReasonAsync($"/api/v1/schedules/proposals/{proposal.Id}/reject", "too often")).ReadAsync<ScheduleProposalView>(HttpStatusCode.OK);

        Assert.Equal((ScheduleProposalStatus.Rejected, "too often"), (rejected.Status, rejected.DecisionReason));
        Assert.Equal("0 6 * * 1", (await MonitorAsync(monitor.Id)).Schedule);

        var adminsMonitor = await Admin.MonitorAsync(Admin);
        var foreign = await Scientist.PostAsJsonAsync("/api/v1/schedules/proposals", new ScheduleProposalInput($"drift-monitor:{adminsMonitor.Id}", "0 1 * * *", "UTC", "mine now"), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        var builtIn = await Scientist.PostAsJsonAsync("/api/v1/schedules/proposals", new ScheduleProposalInput("audit-digest", "0 1 * * *", "UTC", "x"), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Forbidden, builtIn.StatusCode);
        var bad = await Scientist.PostAsJsonAsync("/api/v1/schedules/proposals", new ScheduleProposalInput(id, "0 25 * * *", "UTC", "x"), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task With_approval_required_a_data_scientist_cannot_create_a_monitor_or_spec_with_a_schedule()
    {
        var dataset = await Scientist.CreateDatasetAsync("bypass");
        await Scientist.AddVersionAsync(dataset, "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        var model = await Scientist.CreateModelAsync("bypass");
        var name = $"bp-{Guid.NewGuid():N}"[..14];
        var monitor = new DriftMonitorRequest(name, new DatasetRef(dataset, 1), CurrentDataset: dataset, Schedule: "* * * * *", TimeZone: "UTC");
        var spec = new TrainingSpecRequest(model, name, TrainingTask.Regression, "y", [new("x", FeatureTreatment.Numerical)], TrainerCatalog.Sdca,
            new DatasetSelection(dataset), Schedule: "* * * * *", TimeZone: "UTC");

        var monitorResponse = await Scientist.PostAsJsonAsync("/api/v1/drift/monitors", monitor, RegistryClient.Json);
        var specResponse = await Scientist.PostAsJsonAsync("/api/v1/training/specs", spec, RegistryClient.Json);

        Assert.Equal(HttpStatusCode.Forbidden, monitorResponse.StatusCode);
        Assert.Contains("create it without a schedule, then propose one", await monitorResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, specResponse.StatusCode);
        var monitors = await Scientist.GetFromJsonAsync<Page<DriftMonitorView>>($"/api/v1/drift/monitors?search={name}", RegistryClient.Json);
        Assert.DoesNotContain(monitors!.Items, m => m.Name == name);
        Assert.Equal(0, (await Scientist.GetFromJsonAsync<Page<TrainingSpecView>>($"/api/v1/training/specs?model={model}", RegistryClient.Json))!.TotalCount);
        // Without a schedule, or paused, both are the owner's to create; an admin may schedule at creation.
        Assert.Equal(HttpStatusCode.Created, (await Scientist.PostAsJsonAsync("/api/v1/drift/monitors", monitor with { Enabled = false }, RegistryClient.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Scientist.PostAsJsonAsync("/api/v1/training/specs", spec with { Schedule = null }, RegistryClient.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/drift/monitors", monitor with { Name = name + "a" }, RegistryClient.Json)).StatusCode);
    }

    [Fact]
    public async Task Without_approval_required_a_proposal_applies_at_once()
    {
        var monitor = await Scientist.MonitorAsync(Admin);
        var id = $"drift-monitor:{monitor.Id}";
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current =
            new Actor(null, "datascientist-fixture", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
        var proposals = ActivatorUtilities.CreateInstance<ScheduleProposals>(scope.ServiceProvider,
            Options.Create(new ScheduleOptions { ProposalsNeedApproval = false }));

        var proposal = await proposals.ProposeAsync(new ScheduleProposalInput(id, "15 7 * * 1-5", "UTC", "weekdays only"));

        Assert.Equal((ScheduleProposalStatus.Applied, "at 07:15 on Monday through Friday"), (proposal.Status, proposal.Description));
        Assert.Equal("15 7 * * 1-5", (await MonitorAsync(monitor.Id)).Schedule);
        using var connection = Hangfire.JobStorage.Current.GetConnection();
        Assert.Equal("15 7 * * 1-5", Assert.Single(connection.GetRecurringJobs([id])).Cron);
    }

    private async Task<DriftMonitorView> MonitorAsync(Guid id) =>
        (await Scientist.GetFromJsonAsync<DriftMonitorView>($"/api/v1/drift/monitors/{id}", RegistryClient.Json))!;
}
