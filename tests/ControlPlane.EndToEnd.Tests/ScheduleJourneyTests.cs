using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// An admin reschedules the audit digest with a reason (the cron is described as it is typed), runs it now, finds it on
/// the job dashboard and the workers page, pauses it, and sees each change in the audit trail.
/// </summary>
public sealed class ScheduleJourneyTests : IAsyncLifetime
{
    private const string Digest = "Audit digest (built-in)";
    private RunningApp _app = null!;
    private readonly BrowserErrors _errors = new();

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_admin_edits_runs_and_pauses_a_schedule()
    {
        var admin = await PageAsync();
        await admin.CreateFirstAdminAsync(_app.SetupLink, "grace");

        await Expect(admin.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Schedules" })).ToHaveAttributeAsync("href", "/admin/schedules");
        await admin.GotoAsync("/admin/schedules");
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Schedules" })).ToBeVisibleAsync();
        var row = admin.Locator("tr", new() { HasText = Digest });
        await Expect(row).ToContainTextAsync("every 5 minutes");
        await Expect(admin.Locator("tr", new() { HasText = "Promotion sweep (built-in)" })).ToContainTextAsync("every 15 minutes");

        await row.GetByTestId("edit-schedule").ClickWhenInteractiveAsync(admin.Locator("#schedule-cron"));
        await admin.Locator("#schedule-cron").FillAsync("0 3 * *");
        await Expect(admin.GetByTestId("cron-description")).ToContainTextAsync("has 4 fields");
        await admin.Locator("#schedule-cron").FillAsync("0 */2 * * *");
        await Expect(admin.GetByTestId("cron-description")).ToHaveTextAsync("Runs every 2 hours.");
        await admin.Locator("#save-schedule").ClickAsync();
        await Expect(admin.GetByTestId("schedule-error")).ToContainTextAsync("audited with a reason");
        await admin.Locator("#schedule-reason").FillAsync("digests every 5 minutes are more than we need");
        await admin.Locator("#save-schedule").ClickAsync();
        await Expect(row).ToContainTextAsync("every 2 hours");
        await admin.ScreenshotAsync("schedule-edited");

        await row.GetByTestId("run-schedule").ClickAsync();
        await admin.Locator("#schedule-action-reason").FillAsync("check the new digest now");
        await admin.Locator("#confirm-schedule-action").ClickAsync();
        await Expect(admin.GetByText("Queued as job #")).ToBeVisibleAsync();
        // The history reads Hangfire's job lists when the dialog opens; the queued run shows up there within moments.
        var runs = admin.GetByTestId("schedule-history").GetByRole(AriaRole.Link);
        for (var attempt = 1; ; attempt++)
        {
            await row.GetByTestId("schedule-history-button").ClickAsync();
            try
            {
                await runs.First.WaitForAsync(new() { Timeout = 3_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 8)
            {
                await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
                await Expect(admin.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            }
        }
        await Expect(runs.First).ToContainTextAsync("#");
        await admin.ScreenshotAsync("schedule-history");
        await admin.Keyboard.PressAsync("Escape");

        await admin.GotoAsync("/jobs/recurring");
        await Expect(admin.Locator("tr", new() { HasText = "audit-digest" })).ToContainTextAsync("0 */2 * * *");
        await admin.ScreenshotAsync("schedule-on-job-dashboard");

        await admin.GotoAsync("/admin/workers");
        await Expect(admin.GetByTestId("queues").GetByRole(AriaRole.Cell, new() { Name = "default", Exact = true })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("queues").GetByRole(AriaRole.Cell, new() { Name = "gpu", Exact = true })).ToBeVisibleAsync();
        await Expect(admin.GetByText("Load (busy / workers)")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("workers-queues");

        await admin.GotoAsync("/admin/schedules");
        await admin.WaitUntilInteractiveAsync();
        await row.GetByTestId("pause-schedule").ClickAsync();
        await admin.Locator("#schedule-action-reason").FillAsync("maintenance window");
        await admin.Locator("#confirm-schedule-action").ClickAsync();
        await Expect(row).ToContainTextAsync("Paused");
        await Expect(row.GetByTestId("resume-schedule")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("schedule-paused");

        await admin.GotoAsync("/audit");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "schedule.updated" }).First).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "schedule.triggered" }).First).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "schedule.paused" }).First).ToBeVisibleAsync();

        _errors.AssertNone();
    }

    private async Task<IPage> PageAsync() => _errors.Watch(await _app.NewPageAsync());
}
