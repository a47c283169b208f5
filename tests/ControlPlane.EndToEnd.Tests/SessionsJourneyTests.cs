using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>One person signed in from two browsers (two Chromium contexts): one revokes the other on "Your sessions".</summary>
public sealed class SessionsJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Revoking_the_other_browsers_session_signs_it_out_and_keeps_this_one()
    {
        var laptop = await _app.NewPageAsync();
        await laptop.CreateFirstAdminAsync(_app.SetupLink, "grace");
        var phone = await _app.NewPageAsync();
        await phone.SignInAsync("grace");

        await laptop.GotoAsync("/account/sessions");
        await laptop.WaitUntilInteractiveAsync();
        await Expect(laptop.GetByTestId("sessions").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(laptop.GetByTestId("this-session")).ToHaveCountAsync(1);
        await laptop.ScreenshotAsync("your-sessions");
        await laptop.GetByTestId("revoke-session").ClickAsync();
        await Expect(laptop.GetByTestId("sessions").Locator("tbody tr")).ToHaveCountAsync(1);

        await phone.GotoAsync("/models");
        await Expect(phone).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await laptop.GotoAsync("/models");
        await Expect(laptop.GetByRole(AriaRole.Heading, new() { Name = "Models" })).ToBeVisibleAsync();
    }
}
