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

    public static async Task AddUserAsync(IPage admin, string name, string role)
    {
        await admin.GotoAsync("/admin/users");
        await admin.Locator("#add-user").ClickWhenInteractiveAsync(admin.Locator("#new-user-name"));
        await admin.FillAsync("#new-user-name", name);
        await admin.FillAsync("#new-user-email", $"{name}@example.test");
        await admin.FillAsync("#new-user-password", Journeys.Password);
        await admin.GetByLabel(role).CheckAsync();
        await admin.ClickAsync("#save-user");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = $"{name}@example.test" })).ToBeVisibleAsync();
    }
}
