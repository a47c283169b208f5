using System.Diagnostics;
using System.Net.Http.Headers;

namespace ControlPlane.Benchmarks;

/// <summary>
/// A real web app process (a built or published ControlPlane.Web.dll) on a fresh data folder and a free port, with a
/// bootstrap admin and API token, ready once <c>/health/ready</c> answers; killed with its children and its folder
/// removed on dispose.
/// </summary>
internal sealed class WebAppUnderTest : IAsyncDisposable
{
    private readonly string _data;

    private WebAppUnderTest(Process process, HttpClient http, string data) => (Process, Http, _data) = (process, http, data);

    public Process Process { get; }
    /// <summary>Calls the app with the admin token.</summary>
    public HttpClient Http { get; }

    public static async Task<WebAppUnderTest> StartAsync(string webDll, string token, IReadOnlyDictionary<string, string> settings)
    {
        var data = Directory.CreateTempSubdirectory("cp-bench-web").FullName;
        var port = 5190 + Random.Shared.Next(1000);
        var info = new ProcessStartInfo("dotnet", [webDll])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(webDll)!,
        };
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["ControlPlane__DataDirectory"] = data,
            ["ControlPlane__Bootstrap__AdminEmail"] = "bench@example.test", ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = token, ["Logging__LogLevel__Default"] = "Warning",
        }.Concat(settings))
            info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var app = new WebAppUnderTest(process, http, data);
        for (var i = 0; !await app.ReadyAsync(); i++)
        {
            if (i > 120)
            {
                await app.DisposeAsync();
                throw new TimeoutException("the app did not start");
            }
            await Task.Delay(500);
        }
        return app;
    }

    public async Task<bool> ReadyAsync()
    {
        try
        {
            return (await Http.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
        Process.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
