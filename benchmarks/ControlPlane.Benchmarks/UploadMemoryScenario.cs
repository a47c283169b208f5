using System.Diagnostics;
using System.Net.Http.Headers;
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
        var data = Directory.CreateTempSubdirectory("cp-upload-mem").FullName;
        var port = 5190 + Random.Shared.Next(500);
        var info = new ProcessStartInfo("dotnet", [webDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["ControlPlane__DataDirectory"] = data,
            ["ControlPlane__Bootstrap__AdminEmail"] = "mem@example.test", ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = Token, ["Workers__InProcess"] = "false", ["Logging__LogLevel__Default"] = "Warning",
        })
            info.Environment[k] = v;
        using var app = Process.Start(info)!;
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        try
        {
            for (var i = 0; ; i++)
            {
                try { if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
                if (i > 120) throw new TimeoutException("the app did not start");
                await Task.Delay(500);
            }
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
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
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
