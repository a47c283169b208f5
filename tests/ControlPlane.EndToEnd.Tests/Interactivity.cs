using Microsoft.Playwright;

namespace ControlPlane.EndToEnd.Tests;

internal static class Interactivity
{
    /// <summary>
    /// Pages are prerendered and become interactive when their circuit connects; a click that lands before then
    /// does nothing. Waits for the layout's interactivity marker, then clicks once and waits for the target.
    /// </summary>
    public static async Task ClickWhenInteractiveAsync(this ILocator trigger, ILocator target)
    {
        await trigger.Page.WaitUntilInteractiveAsync();
        await trigger.ClickAsync();
        await target.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
    }

    /// <summary>Text typed into a prerendered input before the circuit connects is not bound; wait first.</summary>
    public static Task WaitUntilInteractiveAsync(this IPage page) => page.Locator("[data-interactive='yes']").WaitForAsync();

    /// <summary>
    /// Blazor's InputFile attaches its change listener from JavaScript just after it renders; files set before that
    /// are silently dropped. Sets the files until the page shows it took them.
    /// </summary>
    public static async Task SetFilesUntilAcceptedAsync(this ILocator input, string path, ILocator accepted)
    {
        for (var attempt = 1; ; attempt++)
        {
            await input.SetInputFilesAsync(path);
            try
            {
                await accepted.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 6)
            {
                // Clear it, so the next attempt is a change the listener sees even if the browser kept the file.
                await input.SetInputFilesAsync(Array.Empty<string>());
            }
        }
    }

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        var folder = Path.Combine(ControlPlane.TestSupport.RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
