using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>A data scientist uploads two monthly files, sees a rejected file explained, looks at the profile and preview, and compares the months.</summary>
public sealed class DatasetJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Upload_two_months_inspect_the_profile_and_compare_them()
    {
        var errors = new BrowserErrors();
        var page = errors.Watch(await _app.NewPageAsync());
        await page.CreateFirstAdminAsync(_app.SetupLink, "lovelace");

        await page.GotoAsync("/datasets");
        await Expect(page.GetByText("No datasets yet")).ToBeVisibleAsync();
        await page.Locator("#new-dataset").ClickWhenInteractiveAsync(page.Locator("#dataset-name"));
        await page.FillAsync("#dataset-name", "applications");
        await page.ClickAsync("#create-dataset");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "applications" })).ToBeVisibleAsync();

        var directory = Path.Combine(Path.GetTempPath(), $"cp-e2e-data-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var ragged = Path.Combine(directory, "broken.csv");
        await File.WriteAllTextAsync(ragged, "income,region\n100,north\n200\n");
        await UploadAsync(page, ragged);
        await Expect(page.GetByTestId("upload-error")).ToContainTextAsync("Line 3 has 1 fields");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        for (var month = 1; month <= 2; month++)
        {
            var file = Path.Combine(directory, $"2026-0{month}.csv");
            await File.WriteAllTextAsync(file, Month(month));
            await page.GotoAsync("/datasets/applications");
            await UploadAsync(page, file);
            await Expect(page.GetByTestId("version-facts")).ToContainTextAsync("200 rows · 3 columns");
        }
        await Expect(page.Locator("[data-testid=column-profile][data-column=income] .js-plotly-plot")).ToBeVisibleAsync();
        await page.ScreenshotAsync("dataset-profile");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.GetByTestId("preview").Locator("th", new() { HasText = "region" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Schema" }).ClickAsync();
        await Expect(page.GetByTestId("schema-table")).ToContainTextAsync("Categorical");

        await page.GotoAsync("/datasets/applications/compare?a=1&b=2");
        await Expect(page.Locator("[data-testid=compare-column][data-column=income] .js-plotly-plot")).ToBeVisibleAsync();
        await page.ScreenshotAsync("dataset-compare");
        Directory.Delete(directory, recursive: true);
        errors.AssertNone();
    }

    /// <summary>200 rows; the second month's incomes shift up, the way drift shows up in real data.</summary>
    private static string Month(int month)
    {
        var csv = new StringBuilder("income,region,defaulted\n");
        for (var i = 0; i < 200; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{1000 + i * 10 + (month - 1) * 600},{(i % 3 == 0 ? "north" : "south")},{(i % 5 == 0 ? "true" : "false")}\n");
        return csv.ToString();
    }

    private static async Task UploadAsync(IPage page, string path)
    {
        await page.Locator("#upload-version").ClickWhenInteractiveAsync(page.Locator("#dataset-file"));
        await page.Locator("#dataset-file").SetFilesUntilAcceptedAsync(path, page.GetByText($"{Path.GetFileName(path)} (", new() { Exact = false }));
        await page.ClickAsync("#upload-dataset");
    }
}
