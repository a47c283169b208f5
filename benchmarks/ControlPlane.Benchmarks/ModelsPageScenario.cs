using System.Diagnostics;
using Microsoft.Playwright;

namespace ControlPlane.Benchmarks;

/// <summary>
/// How long the models page takes to show its first page of rows in Chromium, against an app already running on
/// seeded data (see <see cref="RegistrySeedScenario"/>): navigation start to 25 grid rows visible, after one warm-up.
/// </summary>
internal static class ModelsPageScenario
{
    public static async Task RunAsync(string baseUrl, string userName, string password, int runs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CONTROLPLANE_CHROMIUM") ?? "/usr/bin/chromium",
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await (await browser.NewContextAsync(new() { BaseURL = baseUrl })).NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/");

        var times = new List<double>();
        var loaded = new List<double>();
        var interactive = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("/models", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            var domReady = watch.Elapsed.TotalMilliseconds;
            await page.Locator("tbody tr").Nth(24).WaitForAsync();
            var rows = watch.Elapsed.TotalMilliseconds;
            await page.Locator("[data-interactive='yes'] .mud-table-body tr").Nth(24).WaitForAsync();
            if (i == 0)
                continue;
            times.Add(rows);
            loaded.Add(domReady);
            interactive.Add(watch.Elapsed.TotalMilliseconds);
        }
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        Console.WriteLine($"models page over {runs} runs (median): HTML parsed {Median(loaded):F0} ms, 25 rows visible {Median(times):F0} ms (max {times.Max():F0} ms), interactive grid filled {Median(interactive):F0} ms");
    }
}
