using ControlPlane.TestModels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>A model owner creates a model, uploads two versions through the dialog, compares a metric and stages one.</summary>
public sealed class RegistryJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Upload_two_versions_compare_them_and_move_one_to_staging()
    {
        var page = await _app.NewPageAsync();
        await page.CreateFirstAdminAsync(_app.SetupLink, "hopper");

        await page.GotoAsync("/models");
        await Expect(page.GetByText("No models yet")).ToBeVisibleAsync();
        await page.Locator("#new-model").ClickWhenInteractiveAsync(page.Locator("#model-name"));
        await page.FillAsync("#model-name", "credit-risk");
        await page.ClickAsync("#create-model");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "credit-risk" })).ToBeVisibleAsync();

        var directory = Path.Combine(Path.GetTempPath(), $"cp-e2e-upload-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var garbage = Path.Combine(directory, "notes.onnx");
        await File.WriteAllTextAsync(garbage, "not a model");
        await UploadAsync(page, garbage, "auc=0.8");
        await Expect(page.GetByTestId("upload-error")).ToContainTextAsync("neither an ML.NET zip nor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        for (var i = 1; i <= 2; i++)
        {
            var file = Path.Combine(directory, $"model-{i}.onnx");
            await File.WriteAllBytesAsync(file, HandBuiltOnnx.LogisticRegressionWithZipMap([i, 0.5f, -1f], 0.1f));
            await UploadAsync(page, file, $"auc={0.8 + i / 20.0:0.00}");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"v{i}", Exact = true })).ToBeVisibleAsync();
        }
        await Expect(page.Locator(".js-plotly-plot")).ToBeVisibleAsync();
        await page.ScreenshotAsync("model-page");

        await page.GetByRole(AriaRole.Link, new() { Name = "v1", Exact = true }).ClickAsync();
        await Expect(page.GetByText("float_input", new() { Exact = true }).First).ToBeVisibleAsync();
        // A stage change asks for its reason (required, audited) and applies only once confirmed.
        await page.Locator("#to-staging").ClickWhenInteractiveAsync(page.Locator("#action-reason"));
        await page.FillAsync("#action-reason", "candidate for the quarterly review");
        await page.ClickAsync("#action-submit");
        await Expect(page.GetByText("None → Staging").First).ToBeVisibleAsync();
        await page.ScreenshotAsync("version-page");
        Directory.Delete(directory, recursive: true);
    }

    private static async Task UploadAsync(IPage page, string path, string metrics)
    {
        await page.Locator("#register-version").ClickWhenInteractiveAsync(page.Locator("#artifact-file"));
        await page.Locator("#artifact-file").SetFilesUntilAcceptedAsync(path, page.GetByText($"{Path.GetFileName(path)} (", new() { Exact = false }));
        await page.FillAsync("#version-metrics", metrics);
        await page.ClickAsync("#upload-version");
    }
}
