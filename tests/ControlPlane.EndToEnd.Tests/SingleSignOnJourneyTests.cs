using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.TestModels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.EndToEnd.Tests;

public sealed class SingleSignOnFixture : IAsyncLifetime
{
    public SingleSignOnApp App { get; private set; } = null!;
    public async Task InitializeAsync() => App = await SingleSignOnApp.StartAsync();
    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Single sign-on in Chromium against a real OpenID provider: users land with the roles their groups map to, a user
/// whose groups grant none is refused and audited, and a reviewer of the provider signs by logging in there again.
/// </summary>
public sealed class SingleSignOnJourneyTests(SingleSignOnFixture fixture) : IClassFixture<SingleSignOnFixture>
{
    private SingleSignOnApp App => fixture.App;

    [Fact]
    public async Task A_member_of_cp_admins_signs_in_through_the_provider_and_lands_as_admin()
    {
        var page = await App.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Expect(page.Locator("#sign-in-sso")).ToHaveTextAsync($"Sign in with {SingleSignOnApp.DisplayName}");

        await SingleSignOnApp.SignInAsync(page, "ada");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await page.GotoAsync("/admin/sso"); // an admin-only page
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Single sign-on" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("group-mappings")).ToBeVisibleAsync();
        using var admin = App.Admin();
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users?search=ada");
        var ada = Assert.Single(users.GetProperty("items").EnumerateArray(), u => u.GetProperty("userName").GetString() == "ada");
        Assert.Equal(["Admin"], ada.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_user_whose_groups_grant_no_role_is_denied_created_nowhere_and_audited()
    {
        var page = await App.NewPageAsync();

        await SingleSignOnApp.SignInAsync(page, "nora");

        await Expect(page.GetByTestId("sso-denied")).ToContainTextAsync("grant no role");
        await page.GotoAsync("/models");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login")); // not signed in
        using var admin = App.Admin();
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users?search=nora");
        Assert.Equal(0, users.GetProperty("totalCount").GetInt32());
        var denied = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=auth.sign_in_denied");
        Assert.Contains(denied.GetProperty("items").EnumerateArray(), e => e.GetProperty("reason").GetString() == $"{App.Issuer} subject nora: groups nobody grant no role");
    }

    [Fact]
    public async Task A_reviewer_of_the_provider_signs_after_logging_in_there_again_and_the_signature_records_auth_time()
    {
        // Rita's first sign-in makes her a reviewer; only reviewers appointed before a request sign it.
        var page = await App.NewPageAsync();
        await SingleSignOnApp.SignInAsync(page, "rita");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        var request = await PendingRequestAsync();

        // First at the provider as somebody else: refused, nothing signed.
        await page.GotoAsync($"/promotions/{request}");
        await page.WaitUntilInteractiveAsync();
        Assert.True(await page.Locator("#approve").CountAsync() == 1, $"{page.Url}: {await page.InnerTextAsync("body")}");
        await page.Locator("#approve").ClickWhenInteractiveAsync(page.Locator("#sign-reauthenticate"));
        Assert.Equal(0, await page.Locator("#sign-password").CountAsync());
        await page.ClickAsync("#sign-reauthenticate");
        await SingleSignOnApp.LogInAtProviderAsync(page, "rick");
        await Expect(page.GetByTestId("action-error")).ToContainTextAsync("someone else");

        // Then as herself: the provider asks for the password again (prompt=login), and the signature goes through.
        var started = DateTime.UtcNow.AddSeconds(-1);
        await page.Locator("#approve").ClickWhenInteractiveAsync(page.Locator("#sign-reauthenticate"));
        await page.ClickAsync("#sign-reauthenticate");
        await SingleSignOnApp.LogInAtProviderAsync(page, "rita");
        await Expect(page.GetByTestId("sign-reauthenticated")).ToBeVisibleAsync();
        await page.FillAsync("#sign-reason", "Evidence reviewed; signed after logging in again at the IdP.");
        await page.ClickAsync("#sign-submit");
        await Expect(page.GetByTestId("promotion-status")).ToHaveTextAsync("Approved");
        await Expect(page).ToHaveURLAsync($"{App.Url}/promotions/{request}"); // the proof left the address bar

        using var admin = App.Admin();
        var view = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/promotions/{request}");
        var signature = Assert.Single(view.GetProperty("signatures").EnumerateArray());
        Assert.Equal("rita", signature.GetProperty("signerName").GetString());
        Assert.Equal(App.Issuer, signature.GetProperty("idpIssuer").GetString());
        var authTime = signature.GetProperty("idpAuthTime").GetDateTime();
        Assert.InRange(authTime, started.AddTicks(-(started.Ticks % TimeSpan.TicksPerSecond)), DateTime.UtcNow);
        var refused = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=signature.failed");
        Assert.Contains(refused.GetProperty("items").EnumerateArray(), e => e.GetProperty("reason").GetString()!.Contains("someone else"));
    }

    /// <summary>A local data scientist registers a version with a complete card and asks for the champion alias, through the API.</summary>
    private async Task<Guid> PendingRequestAsync()
    {
        using var admin = App.Admin();
        var name = $"dana{Guid.NewGuid():N}"[..12];
        (await admin.PostAsJsonAsync("/api/v1/admin/users", new { userName = name, email = $"{name}@example.test", password = Journeys.Password, roles = new[] { "DataScientist" } }))
            .EnsureSuccessStatusCode();
        using var anonymous = new HttpClient { BaseAddress = new Uri(App.Url) };
        var issued = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = name, password = Journeys.Password, name = "e2e", expiresInDays = 1 });
        issued.EnsureSuccessStatusCode();
        using var scientist = new HttpClient { BaseAddress = new Uri(App.Url) };
        scientist.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        var model = $"sso-{Guid.NewGuid():N}"[..16];
        (await scientist.PostAsJsonAsync("/api/v1/models", new { name = model })).EnsureSuccessStatusCode();
        var form = new MultipartFormDataContent
        {
            { new StringContent("""{"modelCard":{"owner":"risk-team","intendedUse":"credit scoring","limitations":"retail only","riskTier":"high"}}""",
                System.Text.Encoding.UTF8, "application/json"), "metadata" },
        };
        var file = new ByteArrayContent(HandBuiltOnnx.Identity());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        (await scientist.PostAsync($"/api/v1/models/{model}/versions", form)).EnsureSuccessStatusCode();
        var requested = await scientist.PostAsJsonAsync("/api/v1/promotions", new { model, version = 1, target = new { alias = "champion" }, justification = "beats the champion" });
        Assert.True(requested.StatusCode == HttpStatusCode.Created || requested.StatusCode == HttpStatusCode.OK, await requested.Content.ReadAsStringAsync());
        return (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}

/// <summary>With <c>LocalSignIn=false</c> the password form is gone and the password endpoint refuses a right password.</summary>
public sealed class LocalSignInOffJourneyTests : IAsyncLifetime
{
    private SingleSignOnApp _app = null!;

    public async Task InitializeAsync() => _app = await SingleSignOnApp.StartAsync(localSignIn: false);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_sign_in_page_offers_only_the_provider_and_the_token_endpoint_refuses_passwords()
    {
        var page = await _app.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Expect(page.Locator("#sign-in-sso")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#password").CountAsync());
        Assert.Equal(0, await page.Locator("#sign-in").CountAsync());

        // The bootstrap admin's password is right, and still buys nothing.
        using var anonymous = new HttpClient { BaseAddress = new Uri(_app.Url) };
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = "admin", password = "correct horse battery", name = "x", expiresInDays = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("turned off", await response.Content.ReadAsStringAsync());

        // Signing in through the provider still works.
        await SingleSignOnApp.SignInAsync(page, "ada");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }
}
