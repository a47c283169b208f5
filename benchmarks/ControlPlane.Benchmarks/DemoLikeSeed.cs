using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlPlane.TestModels;

namespace ControlPlane.Benchmarks;

/// <summary>
/// A demo-sized scenario built through the REST API and the real jobs (until the demo seed exists): models with two
/// versions at different stages, monthly dataset versions, a finished evaluation and drift monitors with a run each.
/// </summary>
internal static class DemoLikeSeed
{
    public sealed record Seeded(string Model, string Dataset, Guid EvaluationId, Guid MonitorId);

    public static async Task<Seeded> RunAsync(HttpClient api, int models, int datasets, int monitors)
    {
        var onnx = HandBuiltOnnx.LogisticRegressionWithZipMap([1f, -0.5f, 0.25f], 0.1f);
        for (var m = 0; m < models; m++)
        {
            var name = $"credit-risk-{m:D2}";
            (await api.PostAsJsonAsync("/api/v1/models", new { name, description = "scores loan applications" })).EnsureSuccessStatusCode();
            for (var v = 1; v <= 2; v++)
                await UploadAsync(api, $"/api/v1/models/{name}/versions", onnx, "model.onnx", "application/octet-stream");
            (await api.PostAsJsonAsync($"/api/v1/models/{name}/versions/2/stage", new { stage = m % 3 == 0 ? "Archived" : "Staging", reason = "bench" })).EnsureSuccessStatusCode();
        }
        for (var d = 0; d < datasets; d++)
        {
            var name = $"applications-{d:D2}";
            (await api.PostAsJsonAsync("/api/v1/datasets", new { name, description = "monthly loan applications" })).EnsureSuccessStatusCode();
            for (var month = 0; month < 3; month++)
                await UploadAsync(api, $"/api/v1/datasets/{name}/versions", Csv(500, shift: month * 0.4), "data.csv", "text/csv");
        }
        var evaluation = await PostAsync(api, "/api/v1/evaluations", new { model = "credit-risk-01", version = 2, dataset = "applications-00", datasetVersion = 1, labelColumn = "label", device = "Cpu" });
        var monitorIds = new List<Guid>();
        for (var i = 0; i < monitors; i++)
        {
            var monitor = await PostAsync(api, "/api/v1/drift/monitors",
                new { name = $"applications-watch-{i:D2}", reference = new { name = $"applications-{i % datasets:D2}", version = 1 }, currentDataset = $"applications-{i % datasets:D2}" });
            await PostAsync(api, $"/api/v1/drift/monitors/{monitor}/runs", new { });
            monitorIds.Add(monitor);
        }
        await WaitAsync(api, $"/api/v1/evaluations/{evaluation}", "Succeeded");
        return new Seeded("credit-risk-01", "applications-00", evaluation, monitorIds[0]);
    }

    private static byte[] Csv(int rows, double shift)
    {
        var text = new StringBuilder("f1,f2,f3,label\n");
        for (var i = 0; i < rows; i++)
        {
            double x = (i % 17) / 17.0 + shift, y = (i % 5) / 5.0, z = (i % 11) / 11.0;
            text.Append(CultureInfo.InvariantCulture, $"{x:F3},{y:F3},{z:F3},{(x - y / 2 > 0.3 ? 1 : 0)}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task UploadAsync(HttpClient api, string path, byte[] bytes, string fileName, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var form = new MultipartFormDataContent { { content, "file", fileName } };
        var response = await api.PostAsync(path, form);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<Guid> PostAsync(HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task WaitAsync(HttpClient api, string path, string status)
    {
        for (var i = 0; i < 600; i++)
        {
            var json = await api.GetFromJsonAsync<JsonElement>(path);
            var now = json.GetProperty("status").GetString();
            if (now == status)
                return;
            if (now == "Failed")
                throw new InvalidOperationException($"{path} failed: {json.GetProperty("error")}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"{path} did not reach {status}");
    }
}
