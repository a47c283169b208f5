using ControlPlane.TestSupport;
using Microsoft.Playwright;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// A fresh ControlPlane: the real web app on Kestrel (loopback, free port) with its own SQLite data directory,
/// exactly as `dotnet run` starts it, plus a headless Chromium driven by Playwright.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly TempDirectory _data;
    private readonly AppProcess _app;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private RunningApp(TempDirectory data, AppProcess app, string baseUrl, string setupLink, IPlaywright playwright, IBrowser browser)
    {
        _data = data;
        _app = app;
        BaseUrl = baseUrl;
        SetupLink = setupLink;
        _playwright = playwright;
        _browser = browser;
    }

    public string BaseUrl { get; }
    public string SetupLink { get; }
    public string Console => _app.Output;

    public static Task<RunningApp> StartAsync() => StartAsync([], @"Setup link: (\S+)");

    /// <summary>Started with the demo (<c>--demo</c>): its users' passwords are on the console, and there is no setup link.</summary>
    public static Task<RunningApp> StartWithDemoAsync() => StartAsync(["--demo"], @"demo-adam\s+Admin\s+(\S+)");

    /// <summary>The password the demo printed for <paramref name="userName"/>.</summary>
    public string DemoPassword(string userName) =>
        System.Text.RegularExpressions.Regex.Match(Console, $@"^\s*{userName}\s+\S+\s+(\S+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;

    private static async Task<RunningApp> StartAsync(string[] args, string readyLine)
    {
        var data = new TempDirectory("cp-e2e");
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var app = AppProcess.Start("ControlPlane.Web", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseUrl,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ControlPlane__DataDirectory"] = data.Path,
            ["Workers__QueuePollInterval"] = "00:00:00.500",
        }, data.Path, args);
        var link = await app.WaitForOutputAsync(readyLine, TimeSpan.FromSeconds(90));
        // The demo prints its users before Kestrel listens: on a loaded machine the first page load came before it did.
        await Readiness.WaitAsync(baseUrl, app);
        // Charts draw after the circuit's first round trips; on a loaded 2-core machine that takes longer than Playwright's 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await LaunchChromiumAsync(playwright);
        return new RunningApp(data, app, baseUrl, args.Length == 0 ? link.Groups[1].Value : "", playwright, browser);
    }

    /// <summary>The system's Chromium, headless, with the flags it needs on a closed network.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CONTROLPLANE_CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ChromiumFlags,
    });

    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
