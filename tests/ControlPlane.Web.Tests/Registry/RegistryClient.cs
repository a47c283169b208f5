using System.Net.Http.Headers;
using System.Net.Http.Json;
using ControlPlane.Domain.Registry;
using ControlPlane.Web.Apis;

namespace ControlPlane.Web.Tests.Registry;

/// <summary>Registry calls as a script or CI pipeline would make them.</summary>
internal static class RegistryClient
{
    public static async Task<string> CreateModelAsync(this HttpClient client, string prefix = "model", Dictionary<string, string>? tags = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        var response = await client.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(name, "a test model", tags));
        response.EnsureSuccessStatusCode();
        return name;
    }

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string model, byte[] file, string fileName = "model.onnx", string? metadataJson = null)
    {
        var form = new MultipartFormDataContent();
        if (metadataJson is not null)
            form.Add(new StringContent(metadataJson, System.Text.Encoding.UTF8, "application/json"), "metadata");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        return client.PostAsync($"/api/v1/models/{model}/versions", form);
    }

    public static async Task<ModelVersionView> RegisterAsync(this HttpClient client, string model, byte[] file, string? metadataJson = null)
    {
        var response = await client.UploadAsync(model, file, metadataJson: metadataJson);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ModelVersionView>(Json))!;
    }

    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
