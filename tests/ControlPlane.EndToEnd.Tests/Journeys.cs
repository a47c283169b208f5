using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>Steps several journeys share.</summary>
internal static class Journeys
{
    public const string Password = "correct horse battery staple";

    public static async Task CreateFirstAdminAsync(this IPage page, string setupLink, string userName)
    {
        await page.GotoAsync(setupLink);
        await page.FillAsync("#username", userName);
        await page.FillAsync("#email", $"{userName}@example.test");
        await page.FillAsync("#password", Password);
        await page.FillAsync("#confirm", Password);
        await page.ClickAsync("#create-admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }

    public static async Task SignInAsync(this IPage page, string userName, string password = Password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }

    /// <summary>Collects the page's console errors and uncaught exceptions into <paramref name="errors"/>.</summary>
    public static IPage CollectConsoleErrors(this IPage page, List<string> errors)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");
        return page;
    }
}
