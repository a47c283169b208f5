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
    public static async Task<DriftMonitorView> MonitorAsync(this HttpClient client, string? schedule = "0 6 * * 1", string timeZone = "Europe/Paris")
    {
        var dataset = await client.CreateDatasetAsync("sched");
        await client.AddVersionAsync(dataset, "x,segment\n1,a\n2,b\n3,a\n");
        var response = await client.PostAsJsonAsync("/api/v1/drift/monitors", new DriftMonitorRequest($"sm-{Guid.NewGuid():N}"[..14], new DatasetRef(dataset, 1),
            CurrentDataset: dataset, Schedule: schedule, TimeZone: timeZone), RegistryClient.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DriftMonitorView>(RegistryClient.Json))!;
    }

    public static async Task<TrainingSpecView> SpecAsync(this HttpClient client, string schedule, string timeZone)
    {
        var model = await client.CreateModelAsync("sched");
        var dataset = await client.CreateDatasetAsync("sched-train");
        await client.AddVersionAsync(dataset, "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        var response = await client.PostAsJsonAsync("/api/v1/training/specs", new TrainingSpecRequest(model, "nightly", TrainingTask.Regression, "y",
            [new("x", FeatureTreatment.Numerical)], TrainerCatalog.Sdca, new DatasetSelection(dataset), Schedule: schedule, TimeZone: timeZone), RegistryClient.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TrainingSpecView>(RegistryClient.Json))!;
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
