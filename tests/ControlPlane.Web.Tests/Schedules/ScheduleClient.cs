using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Schedules;
using ControlPlane.Domain.Training;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Schedules;

/// <summary>Set-up and calls shared by the schedule tests.</summary>
internal static class ScheduleClient
{
    /// <summary>
    /// A monitor <paramref name="owner"/> creates; with approval needed for schedules, its schedule is then set by
    /// <paramref name="admin"/> (an owner cannot create one with a schedule).
    /// </summary>
    public static async Task<DriftMonitorView> MonitorAsync(this HttpClient owner, HttpClient admin, string? schedule = "0 6 * * 1", string timeZone = "Europe/Paris")
    {
        var dataset = await owner.CreateDatasetAsync("sched");
        await owner.AddVersionAsync(dataset, "x,segment\n1,a\n2,b\n3,a\n");
        var request = new DriftMonitorRequest($"sm-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1), CurrentDataset: dataset);
        var monitor = await (await owner.PostAsJsonAsync("/api/v1/drift/monitors", request, RegistryClient.Json)).ReadAsync<DriftMonitorView>(HttpStatusCode.Created);
        if (schedule is null)
            return monitor;
        return await (await admin.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request with { Schedule = schedule, TimeZone = timeZone }, RegistryClient.Json))
            .ReadAsync<DriftMonitorView>(HttpStatusCode.OK);
    }

    /// <summary>A training spec <paramref name="owner"/> creates, scheduled by <paramref name="admin"/>.</summary>
    public static async Task<TrainingSpecView> SpecAsync(this HttpClient owner, HttpClient admin, string schedule, string timeZone)
    {
        var model = await owner.CreateModelAsync("sched");
        var dataset = await owner.CreateDatasetAsync("sched-train");
        await owner.AddVersionAsync(dataset, "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        var request = new TrainingSpecRequest(model, "nightly", TrainingTask.Regression, "y",
            [new("x", FeatureTreatment.Numerical)], TrainerCatalog.Sdca, new DatasetSelection(dataset));
        var spec = await (await owner.PostAsJsonAsync("/api/v1/training/specs", request, RegistryClient.Json)).ReadAsync<TrainingSpecView>(HttpStatusCode.Created);
        var scheduled = request with { Schedule = schedule, TimeZone = timeZone, ConcurrencyStamp = spec.ConcurrencyStamp };
        return await (await admin.PutAsJsonAsync($"/api/v1/training/specs/{spec.Id}", scheduled, RegistryClient.Json)).ReadAsync<TrainingSpecView>(HttpStatusCode.OK);
    }

    public static async Task<IReadOnlyList<ScheduleView>> SchedulesAsync(this HttpClient client) =>
        (await client.GetFromJsonAsync<List<ScheduleView>>("/api/v1/schedules", RegistryClient.Json))!;

    public static Task<HttpResponseMessage> PostReasonAsync(this HttpClient client, string path, string? reason) =>
        client.PostAsJsonAsync(path, new ScheduleReason(reason), RegistryClient.Json);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(RegistryClient.Json))!;
    }
}
