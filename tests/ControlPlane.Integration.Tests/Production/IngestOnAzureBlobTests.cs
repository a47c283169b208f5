using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Integration.Tests.Production;

/// <summary>
/// Prediction logs sent over HTTP to a web process whose artifact store is Azure Blob (Azurite) land as Parquet
/// segment blobs at the paths the index names, hash intact, holding every acknowledged row; nothing of them is on local disk.
/// </summary>
public sealed class IngestOnAzureBlobTests
{
    private const string AdminToken = "cpat_ingest-blob-admin-token-0123456789abcd";

    [Fact]
    public async Task Acknowledged_prediction_rows_are_segment_blobs_the_index_names_with_matching_hashes()
    {
        var container = new BlobContainerClient(AzuriteServer.ConnectionString, AzuriteServer.NewContainerName());
        const string model = "blob-ingest";
        var start = DateTime.UtcNow.AddHours(-3);
        start = new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0, DateTimeKind.Utc);
        const int rows = 3_000;
        var ids = Enumerable.Range(0, rows).Select(i => $"b{i}").ToList();
        try
        {
            await using var web = await WebAppProcess.StartAsync(AdminToken,
                ("ControlPlane__Artifacts__Provider", "AzureBlob"),
                ("ControlPlane__Artifacts__AzureBlob__ConnectionString", AzuriteServer.ConnectionString),
                ("ControlPlane__Artifacts__AzureBlob__Container", container.Name));
            using var admin = web.Admin();
            (await admin.PostAsync("/api/v1/models", new StringContent($$"""{"name":"{{model}}"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(HandBuiltOnnx.Identity(2));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
            (await admin.PostAsync($"/api/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();

            // Two hours' worth: two segments.
            var lines = new StringBuilder();
            for (var i = 0; i < rows; i++)
                lines.Append(CultureInfo.InvariantCulture, $$"""{"predictionId":"{{ids[i]}}","timestamp":"{{start.AddSeconds(i * 2.4):O}}","version":1,"features":{"X_0":{{i}},"X_1":{{i * 0.5}} },"outputs":{"score":0.5},"latencyMs":2}""").Append('\n');
            var response = await admin.PostAsync($"/api/v1/models/{model}/predictions", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var segments = await IndexedSegments.OfAsync(web.DataDirectory, model);
            Assert.Equal([start, start.AddHours(1)], segments.Select(s => s.Hour));
            var stored = new List<string>();
            using var downloads = new TempDirectory("cp-ingest-blob");
            foreach (var segment in segments)
            {
                Assert.False(File.Exists(Path.Combine(web.DataDirectory, "artifacts", segment.Path))); // not on the file system store
                var local = downloads.File(Path.GetFileName(segment.Path));
                await container.GetBlobClient(segment.Path).DownloadToAsync(local);
                Assert.Equal(segment.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(local))));
                var columns = await TelemetryFiles.ReadAsync(local);
                Assert.Equal(segment.Rows, columns["prediction_id"].Length);
                stored.AddRange(columns["prediction_id"].Cast<string>());
            }
            Assert.Equal(ids.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }
}
