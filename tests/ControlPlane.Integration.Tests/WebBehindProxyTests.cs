using System.Net;
using System.Text.Json.Nodes;
using ControlPlane.TestSupport;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// Security review §6 and §9 on the real web process (Kestrel, loopback): forwarded headers believed from a configured
/// proxy only (client address in the audit trail, HSTS and Secure cookies behind TLS), and credential attempts limited
/// per client address with 429 and Retry-After.
/// </summary>
public sealed class WebBehindProxyTests
{
    private const string AdminToken = "cpat_proxy-tests-admin-token-0123456789abcdef";

    [Fact]
    public async Task Behind_a_known_proxy_the_client_address_reaches_the_audit_trail_and_https_gets_hsts_and_secure_cookies()
    {
        await using var web = await WebAsync(("ControlPlane__ForwardedHeaders__KnownProxies__0", "127.0.0.1"));
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(web.Url) };

        var page = Send(HttpMethod.Get, "/account/login", ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.7"));
        page.Headers.Host = "controlplane.example.com";
        var login = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.Contains("Strict-Transport-Security"), "no HSTS behind a TLS proxy");
        Assert.All(login.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        var unknown = $"nobody-{Guid.NewGuid():N}"[..20];
        var failed = await client.SendAsync(Send(HttpMethod.Post, "/api/v1/auth/tokens", ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.7")).WithJson(
            $$"""{"userName":"{{unknown}}","password":"wrong password","name":"x"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Equal("203.0.113.7", await LastClientIpAsync(client, "auth.login_failed"));
    }

    [Fact]
    public async Task Without_a_known_proxy_forwarded_headers_are_ignored_and_attempts_per_address_are_limited()
    {
        await using var web = await WebAsync(("ControlPlane__ForwardedHeaders__KnownProxies__0", "10.9.9.9"));
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(web.Url) };

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 21; i++) // the default is 20 a minute per address; another claimed address changes nothing
            statuses.Add(await client.SendAsync(Send(HttpMethod.Post, "/api/v1/auth/tokens", ("X-Forwarded-For", $"198.51.100.{i}")).WithJson(
                $$"""{"userName":"nobody-{{i}}","password":"wrong password","name":"x"}""")));
        Assert.All(statuses.Take(20), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var limited = statuses[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        // The sign-in form counts toward the same limit (refused before the page even runs).
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Send(HttpMethod.Post, "/account/login"))).StatusCode);
        Assert.Equal("127.0.0.1", await LastClientIpAsync(client, "auth.login_failed"));
    }

    private static async Task<string?> LastClientIpAsync(HttpClient client, string action)
    {
        var request = Send(HttpMethod.Get, $"/api/v1/audit?action={action}&pageSize=1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        var page = JsonNode.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync())!;
        return page["items"]![0]!["clientIp"]?.GetValue<string>();
    }

    private static HttpRequestMessage Send(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static Task<WebAppProcess> WebAsync(params (string Key, string Value)[] settings) => WebAppProcess.StartAsync(AdminToken, settings);
}

internal static class JsonRequests
{
    public static HttpRequestMessage WithJson(this HttpRequestMessage request, string json)
    {
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return request;
    }
}
