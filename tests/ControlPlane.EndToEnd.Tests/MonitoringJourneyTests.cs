using System.Globalization;
using System.Text;
using ControlPlane.TestModels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// A data scientist evaluates a model on a dataset from its version page and reads the result, then sets up a
/// drift monitor, runs it, and sees the drift alert arrive in the notifications menu.
/// </summary>
public sealed class MonitoringJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Evaluate_a_model_then_watch_its_data_drift()
    {
        var page = await _app.NewPageAsync();
        await page.CreateFirstAdminAsync(_app.SetupLink, "curie");
        var directory = Path.Combine(Path.GetTempPath(), $"cp-e2e-monitor-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);

        await CreateDatasetAsync(page, "loans");
        foreach (var (month, shift) in new[] { (1, 0.0), (2, 2.5) })
        {
            var file = Path.Combine(directory, $"2026-0{month}.csv");
            await File.WriteAllTextAsync(file, Month(shift));
            await page.GotoAsync("/datasets/loans");
            await page.Locator("#upload-version").ClickWhenInteractiveAsync(page.Locator("#dataset-file"));
            await page.Locator("#dataset-file").SetFilesUntilAcceptedAsync(file, page.GetByText($"{Path.GetFileName(file)} (", new() { Exact = false }));
            await page.ClickAsync("#upload-dataset");
            await Expect(page.GetByTestId("version-facts")).ToContainTextAsync("300 rows");
        }

        await page.GotoAsync("/models");
        await page.Locator("#new-model").ClickWhenInteractiveAsync(page.Locator("#model-name"));
        await page.FillAsync("#model-name", "default-risk");
        await page.ClickAsync("#create-model");
        var model = Path.Combine(directory, "model.onnx");
        await File.WriteAllBytesAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([1.5f, -0.5f, 0f], -0.2f));
        await page.Locator("#register-version").ClickWhenInteractiveAsync(page.Locator("#artifact-file"));
        await page.Locator("#artifact-file").SetFilesUntilAcceptedAsync(model, page.GetByText("model.onnx (", new() { Exact = false }));
        await page.ClickAsync("#upload-version");
        await page.GetByRole(AriaRole.Link, new() { Name = "v1", Exact = true }).ClickAsync();

        await page.Locator("#evaluate").ClickWhenInteractiveAsync(page.Locator("#eval-dataset"));
        await page.Locator("#eval-dataset").FillAsync("loans");
        await page.Locator("#eval-dataset").BlurAsync();
        await page.Locator("#eval-label").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "defaulted (Boolean)" }).ClickAsync();
        await page.ClickAsync("#start-evaluation");
        await Expect(page.Locator("[data-testid=metric-card][data-metric=rocAuc]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=roc-curve] .js-plotly-plot")).ToBeVisibleAsync();
        // Three features: importance is on by default, drawn by Plotly as bars with error bars.
        await Expect(page.Locator("[data-testid=importance] .js-plotly-plot")).ToBeVisibleAsync();
        await page.ScreenshotAsync("evaluation-result");

        await page.GotoAsync("/drift");
        await page.Locator("#new-monitor").ClickWhenInteractiveAsync(page.Locator("#monitor-name"));
        await page.FillAsync("#monitor-name", "loans-monthly");
        await page.Locator("#monitor-reference").FillAsync("loans");
        await page.Locator("#monitor-reference").BlurAsync();
        await Expect(page.Locator("#monitor-reference-version")).ToHaveValueAsync("2"); // the dialog proposes the latest version
        await page.Locator("#monitor-reference-version").FillAsync("1");
        await page.Locator("#monitor-reference-version").BlurAsync();
        await page.Locator("#monitor-current").FillAsync("loans");
        await page.ClickAsync("#save-monitor");
        await Expect(page.GetByTestId("monitor-facts")).ToContainTextAsync("reference loans v1");
        await page.Locator("#run-now").ClickWhenInteractiveAsync(page.GetByTestId("drift-runs"));
        await Expect(page.Locator("[data-testid=drift-column][data-column=income]")).ToContainTextAsync("KS", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=drift-heatmap] .js-plotly-plot")).ToBeVisibleAsync();
        await page.ScreenshotAsync("drift-monitor");

        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Notifications" }).Last.ClickAsync();
        await Expect(page.GetByTestId("notification").First).ToContainTextAsync("loans-monthly");
        // The alert is a real link to the run it reports.
        await Expect(page.GetByTestId("notification").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/drift/monitors/[0-9a-f-]+\?run="));
        Directory.Delete(directory, recursive: true);
    }

    private static async Task CreateDatasetAsync(IPage page, string name)
    {
        await page.GotoAsync("/datasets");
        await page.Locator("#new-dataset").ClickWhenInteractiveAsync(page.Locator("#dataset-name"));
        await page.FillAsync("#dataset-name", name);
        await page.ClickAsync("#create-dataset");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
    }

    /// <summary>300 rows of two features and a label; <paramref name="shift"/> moves incomes up, the way drift shows in real data.</summary>
    private static string Month(double shift)
    {
        var csv = new StringBuilder("income,debt,tenure,defaulted\n");
        for (var i = 0; i < 300; i++)
        {
            var income = (i % 50) / 10.0 + shift;
            var debt = (i * 7 % 30) / 10.0;
            csv.Append(CultureInfo.InvariantCulture, $"{income},{debt},{i % 12},{(income - debt > 1 ? "false" : "true")}\n");
        }
        return csv.ToString();
    }
}
