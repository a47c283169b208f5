using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>An admin invites a data scientist, who signs in, is kept out of admin pages, and makes an API token.</summary>
public sealed class AdminJourneyTests : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_admin_adds_a_data_scientist_who_creates_an_api_token_but_cannot_manage_users()
    {
        var admin = await _app.NewPageAsync();
        await admin.CreateFirstAdminAsync(_app.SetupLink, "grace");

        await admin.GotoAsync("/admin/users");
        await admin.Locator("#add-user").ClickWhenInteractiveAsync(admin.Locator("#new-user-name"));
        await admin.FillAsync("#new-user-name", "linus");
        await admin.FillAsync("#new-user-email", "linus@example.test");
        await admin.FillAsync("#new-user-password", "short");
        await admin.GetByLabel("DataScientist").CheckAsync();
        await admin.ClickAsync("#save-user");
        await Expect(admin.GetByTestId("user-dialog-error")).ToContainTextAsync("at least 12 characters");
        await admin.FillAsync("#new-user-password", Journeys.Password);
        await admin.ClickAsync("#save-user");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "linus@example.test" })).ToBeVisibleAsync();
        await admin.ScreenshotAsync("admin-users");

        await admin.GotoAsync("/admin/workers");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "gpu" }).First).ToBeVisibleAsync();
        await admin.ScreenshotAsync("admin-workers");

        var scientist = await _app.NewPageAsync();
        await scientist.SignInAsync("linus");
        await Expect(scientist.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await scientist.GotoAsync("/admin/users");
        await Expect(scientist.GetByText("You do not have access to this page")).ToBeVisibleAsync();

        await scientist.GotoAsync("/account/tokens");
        await scientist.WaitUntilInteractiveAsync();
        await scientist.Locator("#token-name").ClickAsync();
        await scientist.Locator("#token-name").FillAsync("laptop");
        await scientist.Locator("#create-token").ClickWhenInteractiveAsync(scientist.GetByTestId("new-token"));
        var secret = await scientist.Locator(".token-secret").InnerTextAsync();
        Assert.StartsWith("cpat_", secret);
        await Expect(scientist.GetByRole(AriaRole.Cell, new() { Name = "laptop" })).ToBeVisibleAsync();
        await scientist.ScreenshotAsync("api-tokens");

        // The token shown once works against the API of the same running app.
        using var api = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        var me = await api.GetStringAsync("/api/v1/me");
        Assert.Contains("\"DataScientist\"", me);

        // The admin sees the whole story in the audit trail, and the chain verifies.
        await admin.GotoAsync("/audit");
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "auth.login_succeeded" }).First).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "token.created" }).First).ToBeVisibleAsync();
        await admin.Locator("#write-digest").ClickWhenInteractiveAsync(admin.GetByText("Signed digest at event"));
        await admin.Locator("#verify-chain").ClickAsync();
        await Expect(admin.GetByTestId("verify-result")).ToContainTextAsync("Intact");
        await admin.ScreenshotAsync("audit-trail");
    }
}
