using System.Net.Http.Json;
using ControlPlane.TestSupport;
using Microsoft.Playwright;

namespace ControlPlane.EndToEnd.Tests;

/// <summary>
/// The web app as its own process with single sign-on through a real OpenID provider (oidc-provider on loopback), a
/// bootstrap admin token for set-up calls, and a headless Chromium. The app learns the provider's address before the
/// provider starts (it reads the discovery document at the first sign-in), so the provider can know the app's callback.
/// </summary>
public sealed class SingleSignOnApp : IAsyncDisposable
{
    public const string AdminToken = "cpat_e2e-sso-bootstrap-admin-token-0123456789";
    public const string DisplayName = "Test IdP";

    private WebAppProcess _web = null!;
    private OidcProviderServer _provider = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public string Url => _web.Url;
    public string Issuer => _provider.Issuer;
    public string Console => _web.App.Output + "\n--- provider ---\n" + _provider.Output;

    public static async Task<SingleSignOnApp> StartAsync(bool localSignIn = true)
    {
        var app = new SingleSignOnApp();
        var port = FreePort.Next();
        app._web = await WebAppProcess.StartAsync(AdminToken,
            ("ControlPlane__Oidc__Authority", OidcProviderServer.IssuerOn(port)),
            ("ControlPlane__Oidc__ClientId", OidcProviderServer.ClientId),
            ("ControlPlane__Oidc__ClientSecret", OidcProviderServer.ClientSecret),
            ("ControlPlane__Oidc__Scopes__0", "openid"), ("ControlPlane__Oidc__Scopes__1", "profile"),
            ("ControlPlane__Oidc__Scopes__2", "email"), ("ControlPlane__Oidc__Scopes__3", "groups"),
            ("ControlPlane__Oidc__DisplayName", DisplayName),
            ("ControlPlane__Oidc__RequireHttpsMetadata", "false"),
            ("ControlPlane__Oidc__LocalSignIn", localSignIn ? "true" : "false"));
        app._provider = await OidcProviderServer.StartAsync(port, $"{app._web.Url}/signin-oidc");
        using (var admin = app._web.Admin())
        {
            var mapped = await admin.PutAsJsonAsync("/api/v1/admin/oidc/group-mappings", new
            {
                mappings = new[] { new { group = "cp-admins", role = "Admin" }, new { group = "cp-reviewers", role = "ComplianceReviewer" } },
            });
            mapped.EnsureSuccessStatusCode();
        }
        Assertions.SetDefaultExpectTimeout(15_000);
        app._playwright = await Playwright.CreateAsync();
        app._browser = await RunningApp.LaunchChromiumAsync(app._playwright);
        return app;
    }

    public HttpClient Admin() => _web.Admin();

    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Fills the provider's login form (it asks whenever it has no session, and again for a signature).</summary>
    public static async Task LogInAtProviderAsync(IPage page, string user)
    {
        try
        {
            await page.Locator("#idp-user").WaitForAsync();
        }
        catch (TimeoutException e)
        {
            // Where the browser was instead, and what it showed: the provider's or the app's error page.
            var body = await page.ContentAsync();
            throw new TimeoutException($"The provider's login form did not show; at {page.Url}: {body[..Math.Min(body.Length, 3000)]}", e);
        }
        await page.FillAsync("#idp-user", user);
        await page.FillAsync("#idp-password", OidcProviderServer.PasswordOf(user));
        await page.ClickAsync("#idp-sign-in");
    }

    /// <summary>From the sign-in page through the provider and back.</summary>
    public static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/account/login");
        await page.ClickAsync("#sign-in-sso");
        await LogInAtProviderAsync(page, user);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_provider is not null)
            await _provider.DisposeAsync();
        if (_web is not null)
            await _web.DisposeAsync();
    }
}
