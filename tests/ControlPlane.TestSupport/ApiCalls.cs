using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Xunit;

namespace ControlPlane.TestSupport;

/// <summary>REST calls the process-level tests share: JSON in, JSON nodes out, a failed call fails the test with its body.</summary>
public static class ApiCalls
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static HttpClient Client(string url, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient api, string path) => (await api.GetFromJsonAsync<JsonObject>(path, Json))!;

    public static async Task<JsonArray> GetJsonArrayAsync(this HttpClient api, string path) => (await api.GetFromJsonAsync<JsonArray>(path, Json))!;

    public static async Task<JsonObject> SendJsonAsync(this HttpClient api, HttpMethod method, string path, object? body)
    {
        var response = await api.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// Adds a version of <paramref name="rows"/> generated rows (id, x1–x4, boolean label) to a dataset; a larger
    /// <paramref name="shift"/> moves x1 and scales x2, so drift runs between versions find something.
    /// </summary>
    public static async Task AddTrainingVersionAsync(this HttpClient api, string dataset, int shift, int rows)
    {
        var random = new Random(100 + shift);
        var csv = new StringBuilder("id,x1,x2,x3,x4,label\n");
        for (var i = 0; i < rows; i++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            x[0] += shift * 0.05;
            x[1] *= 1 + shift * 0.05;
            var label = x[0] + 0.5 * x[1] - 0.3 * x[2] + (random.NextDouble() - 0.5) > 0;
            csv.Append(CultureInfo.InvariantCulture, $"{i},{x[0]:R},{x[1]:R},{x[2]:R},{x[3]:R},{(label ? "true" : "false")}\n");
        }
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("""[{"name":"id","role":"Id"},{"name":"label","type":"Boolean","role":"Label"}]""", Encoding.UTF8, "application/json"), "schema");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", $"{dataset}-{shift}.csv");
        var response = await api.PostAsync($"/api/v1/datasets/{dataset}/versions", form);
        Assert.True(response.IsSuccessStatusCode, $"{dataset} version {shift + 1}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A binary FastTree spec on the columns <see cref="AddTrainingVersionAsync"/> writes, evaluated on version 1.</summary>
    public static object FastTreeSpec(string model, string dataset, int trees) => new
    {
        model, name = $"{model}-fasttree", task = "Binary", labelColumn = "label",
        features = Enumerable.Range(1, 4).Select(i => new { name = $"x{i}", treatment = "Numerical" }),
        trainer = "FastTree", trainingDataset = new { name = dataset, version = 1 },
        hyperparameters = new Dictionary<string, double> { ["numberOfTrees"] = trees }, seed = 7,
        evaluationDataset = new { name = dataset, version = 1 },
    };
}
