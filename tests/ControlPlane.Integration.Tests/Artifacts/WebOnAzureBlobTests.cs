using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using ControlPlane.Domain.Artifacts;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;

namespace ControlPlane.Integration.Tests.Artifacts;

/// <summary>The web process configured with <c>Provider=AzureBlob</c> through environment variables, as a deployment sets it.</summary>
public sealed class WebOnAzureBlobTests
{
    private const string AdminToken = "cpat_blob-tests-admin-token-0123456789abcdef";

    [Fact]
    public async Task A_model_uploaded_over_http_is_stored_as_a_blob_and_downloads_intact()
    {
        var containerName = AzuriteServer.NewContainerName();
        var container = new BlobContainerClient(AzuriteServer.ConnectionString, containerName);
        try
        {
            await using var web = await StartAsync(AzuriteServer.ConnectionString, containerName);
            using var client = Client(web);
            var model = HandBuiltOnnx.Identity();

            var version = await UploadAsync(client, model);
            Assert.Equal(HttpStatusCode.Created, version.StatusCode);
            var sha256 = JsonNode.Parse(await version.Content.ReadAsStringAsync())!["sha256"]!.GetValue<string>();

            Assert.True(await container.GetBlobClient(ContentAddress.Of(sha256)).ExistsAsync());
            Assert.Equal(model, await client.GetByteArrayAsync("/api/v1/models/scorer/versions/1/artifact"));
            Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
            Assert.DoesNotContain(AzuriteServer.AccountKey, web.App.Output);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task With_the_store_down_an_upload_is_a_503_that_names_no_secret_and_registers_nothing()
    {
        await using var web = await StartAsync(AzuriteServer.Unreachable(), AzuriteServer.NewContainerName());
        using var client = Client(web);

        var response = await UploadAsync(client, HandBuiltOnnx.Identity());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("cannot be reached", body);
        Assert.DoesNotContain(AzuriteServer.AccountKey, body);
        var versions = JsonNode.Parse(await client.GetStringAsync("/api/v1/models/scorer/versions"))!;
        Assert.Empty(versions["items"]!.AsArray());
        // Still in the load balancer (reads, reviews and signatures work), flagged for monitoring.
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal((HttpStatusCode.OK, "Degraded"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));
        Assert.Matches("Health check artifact-store .*Degraded.*The artifact store cannot be used", web.App.Output);
        // The failure is logged (with the exception) and the key is nowhere in the log.
        Assert.Contains("Request failed", web.App.Output);
        Assert.DoesNotContain(AzuriteServer.AccountKey, web.App.Output);
    }

    private static Task<WebAppProcess> StartAsync(string connectionString, string container) => WebAppProcess.StartAsync(AdminToken,
        ("ControlPlane__Artifacts__Provider", "AzureBlob"),
        ("ControlPlane__Artifacts__AzureBlob__ConnectionString", connectionString),
        ("ControlPlane__Artifacts__AzureBlob__Container", container),
        ("ControlPlane__Artifacts__AzureBlob__MaxRetries", "0"));

    private static HttpClient Client(WebAppProcess web)
    {
        var client = new HttpClient { BaseAddress = new Uri(web.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] model)
    {
        (await client.PostAsJsonAsync("/api/v1/models", new CreateModelRequest("scorer", null, null))).EnsureSuccessStatusCode();
        var file = new ByteArrayContent(model);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.PostAsync("/api/v1/models/scorer/versions", new MultipartFormDataContent { { file, "file", "model.onnx" } });
    }
}
