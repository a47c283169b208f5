using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Governance;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Security review §3 through the API: a data scientist's monitor webhook and an admin's product webhook are refused
/// when they point inside the network (this instance allows only 127.0.0.1/32, on purpose, for its test receivers).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WebhookTargetTests(ControlPlaneWebFactory app)
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://2852039166/")]
    [InlineData("http://[::1]:5080/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://10.0.0.1:8080/")]
    [InlineData("http://0.0.0.0:5080/")]
    [InlineData("http://localhost:5080/")]
    [InlineData("https://alice:hunter2@hooks.example.com/")]
    public async Task Internal_targets_are_refused_on_both_webhook_endpoints_and_nothing_is_stored(string url)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var dataset = await scientist.CreateDatasetAsync("hook");
        await scientist.AddVersionAsync(dataset, "x\n1\n2\n3\n");
        var name = $"hook-{Guid.NewGuid():N}"[..16];
        var monitor = await scientist.PostAsJsonAsync("/api/v1/drift/monitors",
            new DriftMonitorRequest(name, new DatasetRef(dataset, 1), CurrentDataset: dataset, WebhookUrl: url), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, monitor.StatusCode);
        Assert.Contains("webhookUrl", await monitor.Content.ReadAsStringAsync());
        Assert.Empty((await scientist.GetFromJsonAsync<Page<DriftMonitorView>>($"/api/v1/drift/monitors?search={name}", RegistryClient.Json))!.Items);

        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var subscription = await admin.PostAsJsonAsync("/api/v1/webhooks", new WebhookSubscriptionRequest(url, ["*"], "secret"), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, subscription.StatusCode);
        Assert.DoesNotContain(url, await admin.GetStringAsync("/api/v1/webhooks"));
    }
}
