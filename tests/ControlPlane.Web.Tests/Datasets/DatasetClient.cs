using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Datasets;

/// <summary>Dataset calls as a script or CI pipeline would make them.</summary>
internal static class DatasetClient
{
    public static async Task<string> CreateDatasetAsync(this HttpClient client, string prefix = "data")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        var response = await client.PostAsJsonAsync("/api/v1/datasets", new CreateDatasetRequest(name, "a test dataset", null));
        response.EnsureSuccessStatusCode();
        return name;
    }

    public static Task<HttpResponseMessage> UploadDatasetAsync(this HttpClient client, string dataset, byte[] file, string fileName = "data.csv", string? schemaJson = null, string? sourceNote = null)
    {
        var form = new MultipartFormDataContent();
        if (schemaJson is not null)
            form.Add(new StringContent(schemaJson, Encoding.UTF8, "application/json"), "schema");
        if (sourceNote is not null)
            form.Add(new StringContent(sourceNote, Encoding.UTF8), "sourceNote");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", fileName);
        return client.PostAsync($"/api/v1/datasets/{dataset}/versions", form);
    }

    public static async Task<DatasetVersionView> AddVersionAsync(this HttpClient client, string dataset, string csv, string? schemaJson = null) =>
        await client.AddVersionAsync(dataset, Encoding.UTF8.GetBytes(csv), "data.csv", schemaJson);

    public static async Task<DatasetVersionView> AddVersionAsync(this HttpClient client, string dataset, byte[] file, string fileName, string? schemaJson = null)
    {
        var response = await client.UploadDatasetAsync(dataset, file, fileName, schemaJson);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DatasetVersionView>(RegistryClient.Json))!;
    }

    public static async Task<DatasetVersionView> GetVersionAsync(this HttpClient client, string dataset, int version) =>
        (await client.GetFromJsonAsync<DatasetVersionView>($"/api/v1/datasets/{dataset}/versions/{version}", RegistryClient.Json))!;
}
