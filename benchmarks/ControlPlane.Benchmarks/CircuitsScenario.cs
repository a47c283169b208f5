using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Playwright;

namespace ControlPlane.Benchmarks;

/// <summary>
/// The real app on Kestrel inside this process (so the managed heap can be read exactly), seeded through its API
/// and jobs, driven by Chromium: (1) server-side render time of each main page, a signed-in GET of the prerendered
/// HTML, median of N after a warm-up; (2) managed memory per interactive circuit: N tabs held open on the dashboard,
/// then on an evaluation result page, each waited until interactive with its data shown; the growth of the heap
/// after full collections, divided by N.
/// </summary>
internal static class CircuitsScenario
{
    private const string Token = "cpat_circuits-benchmark-token-0123456789abcdef";
    private const string Password = "correct horse battery staple";

    public static async Task RunAsync(int circuits, int runs)
    {
        var factory = Start(out var data);
        try
        {
            await MeasureAsync(factory, circuits, runs);
        }
        finally
        {
            try { await factory.DisposeAsync(); } catch (OperationCanceledException) { } // Hangfire's server may give up stopping; the process ends anyway
            Directory.Delete(data, recursive: true);
        }
    }

    private static WebApplicationFactory<Program> Start(out string data)
    {
        var directory = data = Directory.CreateTempSubdirectory("cp-circuits").FullName;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSolutionRelativeContentRoot("src/ControlPlane.Web");
            b.UseSetting("ControlPlane:DataDirectory", directory);
            b.UseSetting("ControlPlane:Bootstrap:AdminEmail", "bench@example.test");
            b.UseSetting("ControlPlane:Bootstrap:AdminUserName", "bench");
            b.UseSetting("ControlPlane:Bootstrap:AdminPassword", Password);
            b.UseSetting("ControlPlane:Bootstrap:AdminApiToken", Token);
            b.UseSetting("Workers:QueuePollInterval", "00:00:00.200");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            // Closed tabs release their circuits at once, so one page's circuits do not linger into the next measurement.
            b.ConfigureServices(s => s.Configure<CircuitOptions>(o => { o.DisconnectedCircuitMaxRetained = 0; o.DisconnectedCircuitRetentionPeriod = TimeSpan.Zero; }));
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    private static async Task MeasureAsync(WebApplicationFactory<Program> factory, int circuits, int runs)
    {
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var seedWatch = Stopwatch.StartNew();
        var seeded = await DemoLikeSeed.RunAsync(api, models: 12, datasets: 4, monitors: 4);
        Console.WriteLine($"seeded 12 models × 2 versions, 4 datasets × 3 versions, 1 evaluation, 4 monitors with a run in {seedWatch.Elapsed.TotalSeconds:F1} s");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CONTROLPLANE_CHROMIUM") ?? "/usr/bin/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl });
        var login = await context.NewPageAsync();
        await login.GotoAsync("/account/login");
        await login.FillAsync("#username", "bench");
        await login.FillAsync("#password", Password);
        await login.ClickAsync("#sign-in");
        await login.WaitForURLAsync("**/");
        await login.CloseAsync();

        string[] pages =
        [
            "/", "/models", $"/models/{seeded.Model}", $"/models/{seeded.Model}/versions/2", "/datasets", $"/datasets/{seeded.Dataset}",
            $"/datasets/{seeded.Dataset}/versions/1", "/evaluations", $"/evaluations/{seeded.EvaluationId}", "/drift", $"/drift/monitors/{seeded.MonitorId}",
            "/search?q=credit",
        ];
        if (runs > 0)
            await MeasureRenderAsync(context, pages, runs);
        await MeasureCircuitsAsync(context, "/", "[data-testid=recent-activity]", circuits);
        await MeasureCircuitsAsync(context, $"/evaluations/{seeded.EvaluationId}", "[data-testid=metric-card]", circuits);
        await MeasureCircuitsAsync(context, "/search?q=nothing-matches", "[data-testid=no-results]", circuits); // the layout alone (app bar, menu, providers)
    }

    private static async Task MeasureRenderAsync(IBrowserContext context, string[] pages, int runs)
    {
        Console.WriteLine($"server-side render (signed-in GET of the prerendered page), {runs} runs after a warm-up:");
        Console.WriteLine("| page | median | max |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var path in pages)
        {
            var times = new List<double>();
            for (var i = 0; i <= runs; i++)
            {
                var watch = Stopwatch.StartNew();
                var response = await context.APIRequest.GetAsync(path);
                await response.BodyAsync();
                if (!response.Ok)
                    throw new InvalidOperationException($"{path}: {response.Status}");
                if (i > 0)
                    times.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"| `{path}` | {times.Order().ElementAt(times.Count / 2):F0} ms | {times.Max():F0} ms |");
        }
    }

    private static async Task MeasureCircuitsAsync(IBrowserContext context, string path, string shown, int circuits)
    {
        await OpenAsync(context, path, shown); // warm: the page's code paths, caches and pools exist before the baseline
        var before = Heap();
        var tabs = new List<IPage>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < circuits; i++)
            tabs.Add(await OpenAsync(context, path, shown));
        var opened = watch.Elapsed.TotalSeconds;
        var after = Heap();
        Console.WriteLine($"{path}: {circuits} circuits held open ({opened:F1} s to open): managed heap {before / 1024.0 / 1024:F1} → {after / 1024.0 / 1024:F1} MiB, "
            + $"{(after - before) / 1024.0 / circuits:F0} KiB per circuit");
        foreach (var tab in tabs)
            await tab.CloseAsync();
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context, string path, string shown)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.Locator($"[data-interactive='yes'] {shown}").First.WaitForAsync(new() { Timeout = 60_000 });
        return page;
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
