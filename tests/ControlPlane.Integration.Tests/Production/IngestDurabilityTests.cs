using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Integration.Tests.Production;

/// <summary>
/// "Acknowledged" means durable: the web process is SIGKILLed the moment a batch's 200 arrives, started again on the
/// same data directory, and every acknowledged row is in a Parquet file that a committed index row names, hash intact.
/// </summary>
public sealed class IngestDurabilityTests
{
    private const string AdminToken = "cpat_ingest-durability-admin-token-0123456789";

    [Fact]
    public async Task Rows_acknowledged_right_before_a_SIGKILL_are_there_after_a_restart()
    {
        using var data = new TempDirectory("cp-ingest-kill");
        var model = $"kill-{Guid.NewGuid():N}"[..13];
        var start = DateTime.UtcNow.AddHours(-3);
        start = new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0, DateTimeKind.Utc);
        const int rows = 5_000;
        var ids = Enumerable.Range(0, rows).Select(i => $"k{i}").ToList();

        var first = await WebAppProcess.StartOnAsync(data.Path, AdminToken);
        try
        {
            using var admin = first.Admin();
            (await admin.PostAsync("/api/v1/models", new StringContent($$"""{"name":"{{model}}"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(HandBuiltOnnx.Identity(2));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
            (await admin.PostAsync($"/api/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();

            // Two hours' worth, so the batch writes two files and two index rows in its one transaction.
            var lines = new StringBuilder();
            for (var i = 0; i < rows; i++)
                lines.Append(CultureInfo.InvariantCulture, $$"""{"predictionId":"{{ids[i]}}","timestamp":"{{start.AddSeconds(i * 1.4):O}}","version":1,"features":{"X_0":{{i}},"X_1":{{i * 0.5}} },"outputs":{"score":0.5},"latencyMs":2}""").Append('\n');
            var response = await admin.PostAsync($"/api/v1/models/{model}/predictions", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"));
            await first.App.KillAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(rows, answer["accepted"]!.GetValue<int>());
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var again = await WebAppProcess.StartOnAsync(data.Path, AdminToken);
        var segments = await IndexedSegments.OfAsync(data.Path, model);
        Assert.Equal(2, segments.Count);
        Assert.Equal([start, start.AddHours(1)], segments.Select(s => s.Hour));
        var stored = new List<string>();
        foreach (var segment in segments)
        {
            var path = Path.Combine(data.Path, "artifacts", segment.Path);
            Assert.Equal(segment.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            var columns = await TelemetryFiles.ReadAsync(path);
            Assert.Equal(segment.Rows, columns["prediction_id"].Length);
            stored.AddRange(columns["prediction_id"].Cast<string>());
            // The values, not only the ids: X_0 is the row number the id carries.
            Assert.All(columns["prediction_id"].Zip(columns["f_X_0"]), p => Assert.Equal(double.Parse(((string)p.First!)[1..], CultureInfo.InvariantCulture), (double)p.Second!));
        }
        Assert.Equal(ids.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }
}
