using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Issue 27 findings 7 and 8: a drift run on categorical columns of a few hundred thousand barely overlapping
/// categories, then the reads that used to load its whole histogram (the run, the runs list with and without results,
/// six concurrent reads of the run). Each reference and current value is a singleton <c>s{i}</c> except ten heavy
/// categories; 25,000 singletons are shared. Column <c>city</c> is judged by PSI and <c>zone</c> (the same values) by
/// χ², both blind here, so each must carry a warning that names Jensen–Shannon as the test to trust.
/// </summary>
internal static class StressDriftBomb
{
    private const int Singletons = 245_000;
    private const int Shared = 25_000;

    public static async Task RunAsync(WebAppUnderTest server)
    {
        var http = server.Http;
        await UploadAsync(http, "drift-ref", Column(first: 0));
        await UploadAsync(http, "drift-cur", Column(first: Singletons - Shared));
        var monitor = await StressScenario.Send(http, HttpMethod.Post, "/api/v1/drift/monitors", new
        {
            name = "cardinality",
            reference = new { name = "drift-ref", version = 1 },
            currentDatasetVersion = new { name = "drift-cur", version = 1 },
            settings = new { overrides = new Dictionary<string, object> { ["city"] = new { method = "psi" }, ["zone"] = new { method = "chisquare" } } },
        });
        var runId = "";
        await StressScenario.MeasureAsync(server, $"Drift run, 2 categorical columns x {Singletons + 10:N0} categories a side, {Shared:N0} shared", async () =>
        {
            var queued = await StressScenario.Send(http, HttpMethod.Post, $"/api/v1/drift/monitors/{monitor["id"]}/runs", null);
            runId = queued["id"]!.GetValue<string>();
            var run = await StressScenario.UntilAsync(async () => await http.GetFromJsonAsync<JsonObject>($"/api/v1/drift/runs/{runId}"),
                r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed", TimeSpan.FromMinutes(10));
            return $"run {run["status"]} {run["error"]}, {Warnings(run)}";
        });
        await StressScenario.MeasureAsync(server, "GET /drift/runs/{id}", async () =>
            $"{(await http.GetByteArrayAsync($"/api/v1/drift/runs/{runId}")).Length:N0} bytes");
        await StressScenario.MeasureAsync(server, "GET /drift/monitors/{id}/runs (no results)", async () =>
            $"{(await http.GetByteArrayAsync($"/api/v1/drift/monitors/{monitor["id"]}/runs")).Length:N0} bytes");
        await StressScenario.MeasureAsync(server, "GET /drift/monitors/{id}/runs?results=true", async () =>
            $"{(await http.GetByteArrayAsync($"/api/v1/drift/monitors/{monitor["id"]}/runs?results=true")).Length:N0} bytes");
        await StressScenario.MeasureAsync(server, "six concurrent GET /drift/runs/{id}", async () =>
        {
            var sizes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => http.GetByteArrayAsync($"/api/v1/drift/runs/{runId}")));
            return $"{sizes.Sum(s => (long)s.Length):N0} bytes in all";
        });
    }

    /// <summary>The blind-test warnings of the run, as "column: method blind, trust other".</summary>
    private static string Warnings(JsonObject run)
    {
        var columns = run["results"]?["columns"]?.AsArray() ?? [];
        var warnings = columns.SelectMany(c => (c!["warnings"]?.AsArray() ?? []).Select(w =>
            $"{c["name"]}: {w!["method"]} blind, trust {w["trust"]}")).ToList();
        // Both columns' deciding tests are blind here (issue 27 finding 8); a run without the warnings is a regression.
        if (warnings.Count < 2)
            throw new InvalidOperationException($"Expected a blind-test warning on both columns, got: {string.Join("; ", warnings)}");
        return string.Join("; ", warnings);
    }

    /// <summary>Ten heavy categories (1,000·(j+1) values each) and <see cref="Singletons"/> singletons from <paramref name="first"/>, in two equal columns.</summary>
    private static byte[] Column(int first)
    {
        var csv = new StringBuilder("city,zone\n");
        for (var j = 0; j < 10; j++)
            for (var n = 0; n < 1000 * (j + 1); n++)
                csv.Append(CultureInfo.InvariantCulture, $"h{j},h{j}\n");
        for (var i = first; i < first + Singletons; i++)
            csv.Append(CultureInfo.InvariantCulture, $"s{i:D6},s{i:D6}\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task UploadAsync(HttpClient http, string dataset, byte[] csv)
    {
        await StressScenario.Send(http, HttpMethod.Post, "/api/v1/datasets", new { name = dataset });
        using var response = await StressScenario.UploadAsync(http, $"/api/v1/datasets/{dataset}/versions", csv, $"{dataset}.csv",
            """[{"name":"city","type":"Categorical","role":"Feature"},{"name":"zone","type":"Categorical","role":"Feature"}]""");
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{dataset}: {StressScenario.Describe(response)}");
        await StressScenario.UntilAsync(async () => await http.GetFromJsonAsync<JsonObject>($"/api/v1/datasets/{dataset}/versions/1"),
            v => v["profileStatus"]!.GetValue<string>() is "Ready" or "Failed", TimeSpan.FromMinutes(10));
    }
}
