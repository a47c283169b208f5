using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// Every main page of each role, on the demo's data, on a 390×844 phone and a 1440×900 desktop: nothing may extend
/// past the viewport (the document's width, and the right edge of every visible element that no ancestor clips).
/// A screenshot of each page at each size is kept under TestResults/screenshots/layout-*.
/// </summary>
public sealed class LayoutJourneyTests : IAsyncLifetime
{
    private static readonly (int Width, int Height)[] Viewports = [(390, 844), (1440, 900)];

    // Pages reached from a list by the first link whose address matches: the demo's ids are not known in advance.
    private static readonly Regex Guid = new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private RunningApp _app = null!;
    private readonly BrowserErrors _errors = new();

    public async Task InitializeAsync() => _app = await RunningApp.StartWithDemoAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_main_page_of_each_role_fits_a_phone_and_a_desktop()
    {
        var scientist = _errors.Watch(await _app.NewPageAsync());
        await scientist.SignInAsync("demo-dana", _app.DemoPassword("demo-dana"));
        await WaitForTheDemoAsync(scientist);

        var pages = new List<(IPage Page, string Role, string Path)>();
        void Add(IPage page, string role, params string[] paths) => pages.AddRange(paths.Select(p => (page, role, p)));

        Add(scientist, "scientist", "/", "/models", "/models/credit-risk", "/models/credit-risk?tab=production", "/models/credit-risk?tab=permissions", "/datasets", "/evaluations", "/evaluations/compare",
            "/drift", "/training", "/promotions", "/search?q=credit", "/account/tokens", "/account/sessions", "/costs");
        Add(scientist, "scientist",
            await FirstLinkAsync(scientist, "/models/credit-risk", new Regex(@"^/models/credit-risk/versions/\d+$")),
            await FirstLinkAsync(scientist, "/datasets", new Regex(@"^/datasets/[^/?]+$")),
            await FirstLinkAsync(scientist, "/evaluations", new Regex($"^/evaluations/{Guid}$")),
            await FirstLinkAsync(scientist, "/drift", new Regex($"^/drift/monitors/{Guid}$")),
            await FirstLinkAsync(scientist, "/training", new Regex($"^/training/specs/{Guid}$")),
            await FirstLinkAsync(scientist, "/promotions", new Regex($"^/promotions/{Guid}$")));
        var dataset = pages[^5].Path;
        Add(scientist, "scientist", await FirstLinkAsync(scientist, dataset, new Regex($@"^{Regex.Escape(dataset)}/versions/\d+$")));
        var spec = pages.Single(p => p.Path.StartsWith("/training/specs/", StringComparison.Ordinal)).Path;
        Add(scientist, "scientist", await FirstLinkAsync(scientist, spec, new Regex($"^/training/runs/{Guid}$")));
        Add(scientist, "scientist", await WaitForTheProductionWindowsAsync(scientist));
        await WaitForTheShadowComparisonAsync(scientist);

        var reviewer = _errors.Watch(await _app.NewPageAsync());
        await reviewer.SignInAsync("demo-rita", _app.DemoPassword("demo-rita"));
        Add(reviewer, "reviewer", "/", "/promotions", "/audit");

        var admin = _errors.Watch(await _app.NewPageAsync());
        await admin.SignInAsync("demo-adam", _app.DemoPassword("demo-adam"));
        Add(admin, "admin", "/", "/admin/users", "/admin/schedules", "/admin/workers", "/admin/policies", "/admin/webhooks", "/admin/cost-rates", "/admin/sso", "/audit");

        var overflows = new List<string>();
        foreach (var (width, height) in Viewports)
        {
            foreach (var (page, role, path) in pages)
            {
                await page.SetViewportSizeAsync(width, height);
                await page.GotoAsync(path);
                await SettleAsync(page);
                var found = await page.EvaluateAsync<string[]>(OverflowScript);
                overflows.AddRange(found.Select(f => $"{width}px {role} {path}: {f}"));
                await page.ScreenshotAsync($"layout-{width}-{role}-{Slug(path)}");
            }
        }
        Assert.True(overflows.Count == 0, "Past the viewport:\n" + string.Join('\n', overflows));
        _errors.AssertNone();
    }

    /// <summary>The demo trains, evaluates and checks drift with real jobs; it is done when v2's request is open.</summary>
    private async Task WaitForTheDemoAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            await page.GotoAsync("/promotions");
            if (await page.GetByText(new Regex(@"credit-risk\s*v2")).CountAsync() > 0)
                return;
            if (DateTime.UtcNow >= deadline) // say what the page showed: it failed once in CI after the demo's seed job had succeeded
                Assert.Fail($"The demo did not open v2's promotion request within 4 minutes. {page.Url} showed:\n{await page.InnerTextAsync("body")}\n" + _app.Console);
            await Task.Delay(3000);
        }
    }

    /// <summary>
    /// The demo creates its production monitor after v2's request and computes the windows in a job of their own: the
    /// monitor page is judged once it draws them (with its charts), not while it still says where to send predictions.
    /// </summary>
    private async Task<string> WaitForTheProductionWindowsAsync(IPage page)
    {
        const string path = "/models/credit-risk/production/live-traffic"; // DemoSeedJob.ProductionMonitorName
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            await page.GotoAsync(path);
            await page.WaitUntilInteractiveAsync();
            if (await page.Locator("[data-testid=chart-traffic]").CountAsync() > 0)
                return path;
            Assert.True(DateTime.UtcNow < deadline, "The demo's production monitor drew no windows within 4 minutes.\n" + _app.Console);
            await Task.Delay(3000);
        }
    }

    /// <summary>
    /// The demo ends by scoring its last weeks again with v2 in shadow and comparing it with the live v1: the Production
    /// tab (judged at both sizes with the rest) shows that comparison's paired tests once its job is done.
    /// </summary>
    private async Task WaitForTheShadowComparisonAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            await page.GotoAsync("/models/credit-risk?tab=production");
            await page.WaitUntilInteractiveAsync();
            if (await page.Locator("[data-testid=comparison-test][data-metric=rocAuc]").CountAsync() > 0)
            {
                await Expect(page.GetByTestId("comparison-summary")).ToContainTextAsync("v2 against v1, shadow");
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The demo's shadow comparison did not show on the Production tab within 3 minutes.\n" + _app.Console);
            await Task.Delay(3000);
        }
    }

    private static async Task<string> FirstLinkAsync(IPage page, string listPath, Regex target)
    {
        await page.GotoAsync(listPath);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var hrefs = await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))");
            var match = hrefs.FirstOrDefault(h => target.IsMatch(h));
            if (match is not null)
                return match;
            Assert.True(DateTime.UtcNow < deadline, $"{listPath} shows no link matching {target}; links: {string.Join(", ", hrefs)}");
            await Task.Delay(500);
        }
    }

    /// <summary>Interactive, nothing loading, and charts given a moment to draw at the new size.</summary>
    private static async Task SettleAsync(IPage page)
    {
        await page.WaitUntilInteractiveAsync();
        // A running job's progress bar may stay: give loading a few seconds, not more.
        await page.Locator(".mud-progress-linear.mud-progress-indeterminate").First
            .WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 5_000 }).ContinueWith(_ => { });
        await page.WaitForTimeoutAsync(700);
    }

    private static string Slug(string path) =>
        path == "/" ? "overview" : Regex.Replace(Guid.Replace(path.Trim('/'), "id"), "[^A-Za-z0-9]+", "-");

    // Elements inside an ancestor that clips (overflow other than visible: ellipsis, or a table that scrolls within
    // the page) are judged by that ancestor; hidden elements and the closed navigation drawer are not on screen.
    private const string OverflowScript = """
        () => {
          const width = document.documentElement.clientWidth;
          const found = [];
          if (document.documentElement.scrollWidth > width + 1)
            found.push(`document is ${document.documentElement.scrollWidth}px wide`);
          const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).slice(0, 3).join('.') : '') +
            ' "' + (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40).replace(/\s+/g, ' ') + '"';
          const clipped = el => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              const s = getComputedStyle(p);
              if (s.overflowX !== 'visible') return true;
            }
            return false;
          };
          for (const el of document.querySelectorAll('body *')) {
            const sx = getComputedStyle(el).overflowX;
            if ((sx === 'auto' || sx === 'scroll') && el.scrollWidth > el.clientWidth + 1 && !el.closest('.mud-drawer--closed'))
            {
              // Name the widest thing inside: that is what to fix.
              const edge = el.getBoundingClientRect().left + el.clientWidth;
              const widest = Array.from(el.querySelectorAll('td, th, td *, th *')).filter(c => c.getBoundingClientRect().right > edge + 1)
                .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
              found.push(`${describe(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px)` + (widest ? `; widest past the edge: ${describe(widest)} ${Math.round(widest.getBoundingClientRect().width)}px` : ''));
            }
            if (el.closest('.mud-drawer--closed, [aria-hidden=true], #blazor-error-ui, svg')) continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || r.right <= width + 1) continue;
            const s = getComputedStyle(el);
            if (s.visibility === 'hidden' || s.display === 'none' || s.position === 'fixed' && r.left >= width) continue;
            if (clipped(el)) continue;
            found.push(`${describe(el)} ends at ${Math.round(r.right)}px`);
            if (found.length > 15) break;
          }
          return found;
        }
        """;
}
