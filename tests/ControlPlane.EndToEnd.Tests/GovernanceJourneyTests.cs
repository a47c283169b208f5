using ControlPlane.TestModels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// A data scientist asks for their version to become the champion; a different person, a compliance reviewer, reads the
/// evidence in their inbox and signs the approval with their password; the alias moves and the audit trail shows it.
/// </summary>
public sealed class GovernanceJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_data_scientist_requests_champion_and_a_reviewer_signs_the_approval()
    {
        var admin = await PageAsync();
        await admin.CreateFirstAdminAsync(_app.SetupLink, "grace");
        await AddUserAsync(admin, "dana", "DataScientist");
        await AddUserAsync(admin, "rita", "ComplianceReviewer");

        var scientist = await PageAsync();
        await scientist.SignInAsync("dana");
        await scientist.GotoAsync("/models");
        await scientist.Locator("#new-model").ClickWhenInteractiveAsync(scientist.Locator("#model-name"));
        await scientist.FillAsync("#model-name", "credit-risk");
        await scientist.ClickAsync("#create-model");
        await Expect(scientist.GetByRole(AriaRole.Heading, new() { Name = "credit-risk" })).ToBeVisibleAsync();
        await RegisterWithModelCardAsync(scientist);

        await scientist.GetByRole(AriaRole.Link, new() { Name = "v1", Exact = true }).ClickAsync();
        await Expect(scientist.GetByRole(AriaRole.Cell, new() { Name = "risk-team", Exact = true })).ToBeVisibleAsync();
        await Expect(scientist.GetByRole(AriaRole.Cell, new() { Name = "High", Exact = true })).ToBeVisibleAsync();
        await scientist.Locator("#request-promotion").ClickWhenInteractiveAsync(scientist.Locator("#promotion-justification"));
        await scientist.GetByText("An alias").ClickAsync();
        await scientist.FillAsync("#promotion-alias", "champion");
        await scientist.FillAsync("#promotion-justification", "Beats the baseline on the holdout; card reviewed by risk.");
        await scientist.ClickAsync("#submit-promotion");
        await Expect(scientist.Locator("h4", new() { HasText = "credit-risk v1" })).ToContainTextAsync("→ alias 'champion'");
        await Expect(scientist.GetByTestId("eligibility")).ToContainTextAsync("ComplianceReviewer");
        await scientist.ScreenshotAsync("promotion-requested");

        var reviewer = await PageAsync();
        await reviewer.SignInAsync("rita");
        await reviewer.GotoAsync("/promotions");
        await Expect(reviewer.GetByTestId("promotion-link")).ToHaveCountAsync(1);
        await Expect(reviewer.GetByTestId("inbox-count")).ToHaveTextAsync("1");
        await reviewer.ScreenshotAsync("promotion-inbox");
        await reviewer.GetByTestId("promotion-link").ClickAsync();
        await Expect(reviewer.Locator("[data-testid=gate][data-passed=true]").First).ToBeVisibleAsync();
        var failing = await reviewer.Locator("[data-testid=gate][data-passed=false]").AllInnerTextsAsync();
        Assert.True(failing.Count == 0, $"failing gates: {string.Join(" / ", failing)}");
        await Expect(reviewer.GetByTestId("evidence-card")).ToContainTextAsync("risk-team");
        await Expect(reviewer.GetByTestId("artifact-sha")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await reviewer.ScreenshotAsync("promotion-evidence");

        await reviewer.Locator("#approve").ClickWhenInteractiveAsync(reviewer.Locator("#sign-password"));
        await reviewer.FillAsync("#sign-reason", "Evidence, card and artifact hash reviewed.");
        await reviewer.FillAsync("#sign-password", Journeys.Password);
        await reviewer.ScreenshotAsync("promotion-signing");
        await reviewer.ClickAsync("#sign-submit");
        await Expect(reviewer.GetByTestId("promotion-status")).ToHaveTextAsync("Approved");
        await Expect(reviewer.GetByTestId("signer")).ToHaveTextAsync("rita");
        await Expect(reviewer.GetByTestId("signature")).ToContainTextAsync("Evidence, card and artifact hash reviewed.");
        await reviewer.ScreenshotAsync("promotion-approved");

        await reviewer.GotoAsync("/models/credit-risk/versions/1");
        await Expect(reviewer.Locator(".mud-chip", new() { HasText = "champion" }).First).ToBeVisibleAsync();
        await Expect(reviewer.GetByTestId("version-promotions")).ToContainTextAsync("Approved");
        await reviewer.ScreenshotAsync("promotion-version");

        await reviewer.GotoAsync("/audit");
        await Expect(reviewer.GetByRole(AriaRole.Cell, new() { Name = "promotion.requested" }).First).ToBeVisibleAsync();
        await Expect(reviewer.GetByRole(AriaRole.Cell, new() { Name = "promotion.approved" }).First).ToBeVisibleAsync();
        await reviewer.ScreenshotAsync("promotion-audit");

        Assert.True(_consoleErrors.Count == 0, string.Join("\n", _consoleErrors));
    }

    private async Task<IPage> PageAsync() => (await _app.NewPageAsync()).CollectConsoleErrors(_consoleErrors);

    private static async Task AddUserAsync(IPage admin, string name, string role)
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

    private static async Task RegisterWithModelCardAsync(IPage page)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cp-e2e-gov-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(file, HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0.5f, -1f], 0.1f));
        await page.Locator("#register-version").ClickWhenInteractiveAsync(page.Locator("#artifact-file"));
        await page.Locator("#artifact-file").SetFilesUntilAcceptedAsync(file, page.GetByText($"{Path.GetFileName(file)} (", new() { Exact = false }));
        await page.FillAsync("#card-intended-use", "Retail credit decisions");
        await page.FillAsync("#card-limitations", "Not for business lending");
        await page.FillAsync("#card-owner", "risk-team");
        await page.Locator("#card-risk-tier").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "High" }).ClickAsync();
        await page.ClickAsync("#upload-version");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "v1", Exact = true })).ToBeVisibleAsync();
        File.Delete(file);
    }
}
