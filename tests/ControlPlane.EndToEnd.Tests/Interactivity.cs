using Microsoft.Playwright;

namespace ControlPlane.EndToEnd.Tests;

internal static class Interactivity
{
    /// <summary>
    /// Pages are prerendered and become interactive when their circuit connects; a click that lands
    /// before then does nothing. Clicks the trigger until the target shows, as a patient user would.
    /// </summary>
    public static async Task ClickUntilVisibleAsync(this ILocator trigger, ILocator target, int attempts = 20)
    {
        for (var i = 0; i < attempts; i++)
        {
            await trigger.ClickAsync();
            try
            {
                await target.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 1_000 });
                return;
            }
            catch (TimeoutException)
            {
            }
        }
        throw new TimeoutException("The page never became interactive.");
    }

    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        var folder = Path.Combine(ControlPlane.TestSupport.RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
