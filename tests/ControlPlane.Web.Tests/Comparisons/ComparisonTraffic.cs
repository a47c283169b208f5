using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Comparisons;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;
using static ControlPlane.Web.Tests.Production.IngestFixture;

namespace ControlPlane.Web.Tests.Comparisons;

/// <summary>Telemetry sent through the real ingest endpoints, and comparisons run through the real job server.</summary>
internal static class ComparisonTraffic
{
    public static async Task<HttpClient> IngestClientAsync(this ControlPlaneWebFactory app, string user)
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens",
            new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "ingest", 1, ["ingest"]));
        response.EnsureSuccessStatusCode();
        return app.ClientWithToken((await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token);
    }

    /// <summary>One labelled prediction per id: the primary's label and the shadow's, both logged an hour ago, and the actual.</summary>
    public static async Task SendAsync(this HttpClient ingest, string model, int primary, int shadow, IReadOnlyList<(string Id, string Primary, string Shadow, string Actual)> rows)
    {
        var at = Iso(RecentHour().AddMinutes(5));
        string Record(string id, int version, string variant, string label, int latency) =>
            $$"""{"predictionId":"{{id}}","timestamp":"{{at}}","version":{{version}},"variant":"{{variant}}","features":{"X_0":1,"X_1":2,"X_2":3},"outputs":{"label":"{{label}}"},"latencyMs":{{latency}}}""";
        var predictions = rows.Select(r => Record(r.Id, primary, "primary", r.Primary, 10)).Concat(rows.Select(r => Record(r.Id, shadow, "shadow", r.Shadow, 30)));
        var sent = await ingest.PostAsync($"/api/v1/models/{model}/predictions", Json("[" + string.Join(",", predictions) + "]"));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        var actuals = rows.Select(r => $$"""{"predictionId":"{{r.Id}}","actual":"{{r.Actual}}","timestamp":"{{at}}"}""");
        sent = await ingest.PostAsync($"/api/v1/models/{model}/actuals", Json("[" + string.Join(",", actuals) + "]"));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
    }

    /// <summary>Requests a comparison (202) and waits for the job server to finish it.</summary>
    public static async Task<ComparisonView> CompareAsync(this HttpClient client, string model, ComparisonRequest request)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/models/{model}/comparisons", request, RegistryClient.Json);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var queued = (await response.Content.ReadFromJsonAsync<ComparisonView>(RegistryClient.Json))!;
        Assert.Equal($"/api/v1/models/{model}/comparisons/{queued.Id}", response.Headers.Location!.OriginalString);
        return await Eventually.GetAsync(async () =>
        {
            var current = await client.GetFromJsonAsync<ComparisonView>($"/api/v1/models/{model}/comparisons/{queued.Id}", RegistryClient.Json);
            return current!.Status is ComparisonStatus.Succeeded or ComparisonStatus.Failed ? current : null;
        }, TimeSpan.FromSeconds(60), "the comparison job");
    }

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
