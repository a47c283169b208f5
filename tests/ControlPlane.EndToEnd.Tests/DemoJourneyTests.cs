using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// A new admin's first run with the demo: setup link, first admin, "Load demo data" on the empty dashboard; the demo
/// reviewer then signs in with the password shown once, finds the retrained version waiting with its drift gate failing,
/// signs the approval with an override, and the production history shows the change. (Every page on a phone: LayoutJourneyTests.)
/// </summary>
public sealed class DemoJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;
    private readonly BrowserErrors _errors = new();

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_admin_loads_the_demo_and_its_reviewer_finds_a_request_with_the_drift_in_plain_sight()
    {
        var admin = _errors.Watch(await _app.NewPageAsync());
        await admin.CreateFirstAdminAsync(_app.SetupLink, "ada");
        await Expect(admin.GetByTestId("empty-dashboard")).ToBeVisibleAsync();
        await admin.WaitUntilInteractiveAsync();
        await admin.ClickAsync("#load-demo");
        await Expect(admin.GetByTestId("demo-started")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("demo-started");
        var rita = await admin.GetByTestId("demo-user").Filter(new() { HasText = "demo-rita" }).InnerTextAsync();
        var password = Regex.Match(rita, @":\s*(\S+)$").Groups[1].Value;

        // While the demo loads, the admin invites a data scientist and a reviewer of their own.
        await Journeys.AddUserAsync(admin, "grace", "DataScientist");
        await Journeys.AddUserAsync(admin, "rosa", "ComplianceReviewer");

        // The demo runs real jobs (training, evaluations, drift runs): wait for the request it ends with.
        var reviewer = _errors.Watch(await _app.NewPageAsync());
        await reviewer.SignInAsync("demo-rita", password);
        await Expect(reviewer.GetByTestId("reviewer-inbox")).ToBeVisibleAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        // Training puts v1 forward early; the story ends with v2's request (v1's is invalidated by the drift on the way).
        var second = reviewer.GetByTestId("inbox-item").Filter(new() { HasText = "credit-risk v2" });
        while (await second.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The demo did not put v2's request in the reviewer's inbox within 3 minutes.\n" + _app.Console);
            await Task.Delay(2000);
            await reviewer.ReloadAsync();
        }
        await reviewer.ScreenshotAsync("demo-dashboard-reviewer");

        await second.First.Locator("a").ClickAsync();
        await Expect(reviewer).ToHaveURLAsync(new Regex("/promotions/[0-9a-f-]{36}$"));
        await Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "credit-risk v2" })).ToBeVisibleAsync();
        await Expect(reviewer.GetByText(new Regex(@"Gates \(\d+ of \d+ pass\)"))).ToBeVisibleAsync();
        await Expect(reviewer.GetByText("credit-applications-monthly (v1) found dataset drift").First).ToBeVisibleAsync();
        await reviewer.ScreenshotAsync("demo-request");

        // The policy lets a reviewer accept the drift with a reason; the signature carries the override.
        await reviewer.Locator("#approve").ClickWhenInteractiveAsync(reviewer.Locator("#sign-password"));
        await reviewer.FillAsync("#sign-reason", "Holdout AUC checked; the drift is the April campaign, accepted.");
        await reviewer.Locator("input[data-gate=drift], [data-gate=drift] input").First.FillAsync("Shift toward online applicants is expected; monitored weekly.");
        await reviewer.FillAsync("#sign-password", password);
        await reviewer.ClickAsync("#sign-submit");
        await Expect(reviewer.GetByTestId("promotion-status")).ToHaveTextAsync("Approved");
        await Expect(reviewer.GetByTestId("signature")).ToContainTextAsync("monitored weekly");
        await reviewer.ScreenshotAsync("demo-approved-with-override");

        // Production history, read from the audit trail, shows v2 in production since the signature.
        await reviewer.GotoAsync("/models/credit-risk");
        await Expect(reviewer.GetByTestId("production-history")).ToContainTextAsync("v2");
        await Expect(reviewer.GetByTestId("production-history")).ToContainTextAsync("until now");

        // The drift history the monitor built month by month.
        await reviewer.GotoAsync("/drift");
        await Expect(reviewer.GetByText("credit-applications-monthly")).ToBeVisibleAsync();

        _errors.AssertNone();
    }
}
