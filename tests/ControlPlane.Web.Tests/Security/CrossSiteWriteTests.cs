using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Security review §5: with a signed-in browser cookie, unsafe API requests from another site (any content type, also
/// multipart uploads) are refused; the same request from this site, or any bearer-token call, is not.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class CrossSiteWriteTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Cookie_authenticated_writes_from_another_site_are_refused_and_change_nothing()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var (adminName, _) = await NewUserAsync(admin, ControlPlaneRoles.Admin, ControlPlaneRoles.DataScientist);
        var (_, victimId) = await NewUserAsync(admin, ControlPlaneRoles.DataScientist);
        using var browser = await SignedInBrowserAsync(adminName);

        var attempts = new (string What, Func<HttpRequestMessage> Request)[]
        {
            ("text/plain from evil.example", () => Disable(victimId, "text/plain", ("Origin", "http://evil.example"))),
            ("form body from evil.example", () => Disable(victimId, "application/x-www-form-urlencoded", ("Origin", "http://evil.example"))),
            ("JSON, Sec-Fetch-Site cross-site", () => Disable(victimId, "application/json", ("Sec-Fetch-Site", "cross-site"), ("Origin", "http://localhost"))),
            ("same-site but not same-origin", () => Disable(victimId, "application/json", ("Sec-Fetch-Site", "same-site"))),
            ("no Origin, no Sec-Fetch-Site", () => Disable(victimId, "text/plain")),
            ("Origin null", () => Disable(victimId, "text/plain", ("Origin", "null"))),
            ("multipart upload", () =>
            {
                var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/models/anything/versions")
                {
                    Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "m.onnx" } },
                };
                upload.Headers.Add("Origin", "http://evil.example");
                return upload;
            }),
        };
        foreach (var (what, request) in attempts)
        {
            var response = await browser.SendAsync(request());
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var victim = await admin.GetFromJsonAsync<UserSummary>($"/api/v1/admin/users/{victimId}");
        Assert.False(victim!.IsDisabled);

        var sameSite = await browser.SendAsync(Disable(victimId, "application/json", ("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin")));
        Assert.True(sameSite.IsSuccessStatusCode, await sameSite.Content.ReadAsStringAsync());
        Assert.True((await admin.GetFromJsonAsync<UserSummary>($"/api/v1/admin/users/{victimId}"))!.IsDisabled);

        // Bearer tokens carry no ambient credential: another site's Origin changes nothing for them.
        var bearer = Enable(victimId);
        bearer.Headers.Add("Origin", "http://evil.example");
        Assert.True((await admin.SendAsync(bearer)).IsSuccessStatusCode);
    }

    private static HttpRequestMessage Disable(string userId, string contentType, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/users/{userId}/disable") { Content = new StringContent("{}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static HttpRequestMessage Enable(string userId) => new(HttpMethod.Post, $"/api/v1/admin/users/{userId}/enable");

    private static async Task<(string Name, string Id)> NewUserAsync(HttpClient admin, params string[] roles)
    {
        var name = $"csrf-{Guid.NewGuid():N}"[..18];
        var response = await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, roles));
        response.EnsureSuccessStatusCode();
        return (name, (await response.Content.ReadFromJsonAsync<UserSummary>())!.Id);
    }

    /// <summary>A client that signed in through the login form, as a browser does, and now holds the auth cookie.</summary>
    private async Task<HttpClient> SignedInBrowserAsync(string userName)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName, ["Input.Password"] = ControlPlaneWebFactory.Password,
        });
        var signIn = await browser.PostAsync("/account/login", form);
        Assert.True(signIn.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"{(int)signIn.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
