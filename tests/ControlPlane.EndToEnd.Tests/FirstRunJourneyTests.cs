using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>A new user's first minutes: the printed setup link, the first admin, signing out and in again.</summary>
public sealed class FirstRunJourneyTests : IAsyncLifetime
{
    private const string Password = Journeys.Password;
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_printed_link_creates_the_first_admin_who_can_sign_out_and_back_in()
    {
        var page = await _app.NewPageAsync();

        // Before setup, the sign-in page explains where the link is.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await Expect(page.GetByText("one-time setup link")).ToBeVisibleAsync();

        // The setup link from the console: a short password is refused with a readable message.
        await page.GotoAsync(_app.SetupLink);
        await page.FillAsync("#username", "ada");
        await page.FillAsync("#email", "ada@example.test");
        await page.FillAsync("#password", "too short");
        await page.FillAsync("#confirm", "too short");
        await page.ClickAsync("#create-admin");
        await Expect(page.GetByText("Use at least 12 characters.")).ToBeVisibleAsync();

        await page.FillAsync("#password", Password);
        await page.FillAsync("#confirm", Password);
        await page.ClickAsync("#create-admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Signed in as")).ToContainTextAsync("ada");

        // The link is spent.
        await page.GotoAsync(_app.SetupLink);
        await Expect(page.GetByText("Setup is already complete.")).ToBeVisibleAsync();

        // Sign out through the user menu.
        await page.GotoAsync("/");
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        await page.GetByLabel("User menu").ClickWhenInteractiveAsync(signOut);
        await page.ScreenshotAsync("overview");
        await signOut.ClickAsync();
        await Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();

        // A wrong password is refused; the right one signs in and returns to the page asked for.
        await page.GotoAsync("/admin/users");
        await page.FillAsync("#username", "ada");
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#sign-in");
        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The user name or password is wrong.");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#sign-in");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "ada@example.test" })).ToBeVisibleAsync();
    }
}
