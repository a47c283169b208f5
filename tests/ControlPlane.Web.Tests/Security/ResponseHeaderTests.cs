using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ControlPlane.Web.Apis;

namespace ControlPlane.Web.Tests.Security;

/// <summary>Security review §9: nosniff, referrer policy, a real content security policy on pages, no caching of secrets, no outside fonts.</summary>
[Collection(WebCollection.Name)]
public sealed partial class ResponseHeaderTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Pages_get_a_content_security_policy_that_allows_scripts_from_this_site_only()
    {
        using var anonymous = app.ClientWithToken(null);
        var page = await anonymous.GetAsync("/account/login");
        var policy = Directives(page);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self'", policy["default-src"]);
        Assert.Equal("'self' blob:", policy["connect-src"]); // InputFile reads the chosen file through a blob: URL
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", page.Headers.CacheControl!.ToString());

        // The page itself runs no inline script that this policy would block.
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(InlineScript(), html);
    }

    [Fact]
    public async Task Answers_that_carry_a_secret_are_never_cached_and_api_answers_are_not_sniffed()
    {
        using var anonymous = app.ClientWithToken(null);
        var issued = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest("admin", ControlPlaneWebFactory.Password, "ci", 1));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.True(issued.Headers.CacheControl?.NoStore, issued.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", issued.Headers.GetValues("X-Content-Type-Options").Single());

        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var created = await admin.PostAsJsonAsync("/api/v1/auth/tokens/mine", new CreateTokenRequest("second", 1));
        Assert.True(created.IsSuccessStatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task The_api_reference_loads_nothing_from_outside_this_site()
    {
        using var anonymous = app.ClientWithToken(null);
        var page = await anonymous.GetAsync("/api-reference/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(OutsideUrl(), html);
        Assert.Contains("\"withDefaultFonts\":false", html); // Scalar's bundle would fetch its fonts from fonts.scalar.com
        Assert.Equal("'self'", Directives(page)["default-src"]);
        Assert.Equal("'self'", Directives(page)["connect-src"]);
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"(src|href)=""https?://", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideUrl();
}
