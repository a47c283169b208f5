using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ControlPlane.TestModels;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Peak resident memory of the real web app (Release, Kestrel) while it receives large uploads: a 500 MB file
/// that is not a model (streamed, staged, scanned and rejected) and a 500 MB valid ONNX model (also opened by
/// ONNX Runtime to read its signature). Linux only: reads VmHWM/VmRSS from /proc.
/// </summary>
internal static partial class UploadMemoryScenario
{
    private const string Token = "cpat_upload-memory-benchmark-token-0123456789";

    public static async Task RunAsync(string webDll, int megabytes)
    {
        await using var server = await WebAppUnderTest.StartAsync(webDll, Token, new Dictionary<string, string> { ["Workers__InProcess"] = "false" });
        var (app, http) = (server.Process, server.Http);
        (await http.PostAsJsonAsync("/api/v1/models", new { name = "big" })).EnsureSuccessStatusCode();
        var small = await UploadAsync(http, HandBuiltOnnx.Identity(), "small.onnx");
        Console.WriteLine($"after start and a small upload ({small}): VmRSS {Rss(app.Id, "VmRSS")} MiB, peak {Rss(app.Id, "VmHWM")} MiB");

        var size = megabytes * 1024 * 1024;
        var garbage = new byte[size];
        Random.Shared.NextBytes(garbage);
        var rejected = await UploadAsync(http, garbage, "garbage.onnx");
        Console.WriteLine($"after a {megabytes} MB non-model upload ({rejected}): VmRSS {Rss(app.Id, "VmRSS")} MiB, peak {Rss(app.Id, "VmHWM")} MiB");

        var model = HandBuiltOnnx.IdentityWithPadding(size);
        var accepted = await UploadAsync(http, model, "big.onnx");
        Console.WriteLine($"after a {model.Length / 1048576} MB valid ONNX upload ({accepted}): VmRSS {Rss(app.Id, "VmRSS")} MiB, peak {Rss(app.Id, "VmHWM")} MiB");
    }

    private static async Task<string> UploadAsync(HttpClient http, byte[] file, string name)
    {
        var watch = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        using var response = await http.PostAsync("/api/v1/models/big/versions", form);
        return $"{(int)response.StatusCode} in {watch.Elapsed.TotalSeconds:F1} s";
    }

    private static long Rss(int pid, string field)
    {
        var match = Regex.Match(File.ReadAllText($"/proc/{pid}/status"), field + @":\s+(\d+) kB");
        return long.Parse(match.Groups[1].Value) / 1024;
    }
}
