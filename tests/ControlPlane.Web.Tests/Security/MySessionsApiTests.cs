using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.RegularExpressions;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Sessions;
using ControlPlane.Web.Apis;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// Two browsers signed in through the login form as one user, through the app's whole pipeline: each sees both
/// sessions with its own marked, revoking the other makes that browser's next request anonymous, and another user can
/// neither see nor revoke them.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class MySessionsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task Revoking_one_of_two_sessions_signs_that_browser_out_at_its_next_request_and_keeps_the_other()
    {
        var user = await NewUserAsync();
        var laptop = await SignedInBrowserAsync(user, "Laptop/1.0");
        var phone = await SignedInBrowserAsync(user, "Phone/2.0");

        var seen = await laptop.GetFromJsonAsync<List<UserSessionView>>("/api/v1/me/sessions");
        Assert.Equal(2, seen!.Count);
        var mine = Assert.Single(seen, s => s.Current);
        Assert.Equal("Laptop/1.0", mine.UserAgent);
        var other = Assert.Single(seen, s => !s.Current);
        Assert.Equal("Phone/2.0", other.UserAgent);

        Assert.Equal(HttpStatusCode.NoContent, (await laptop.SendAsync(SameSite(HttpMethod.Delete, $"/api/v1/me/sessions/{other.Id}"))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal([mine.Id], (await laptop.GetFromJsonAsync<List<UserSessionView>>("/api/v1/me/sessions"))!.Select(s => s.Id));
        var audit = await Admin.GetStringAsync($"/api/v1/audit?action=session.revoked&actor={user}");
        Assert.Contains(other.Id.ToString(), audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_sessions_are_not_listed_and_revoking_one_is_a_404()
    {
        var bob = await SignedInBrowserAsync(await NewUserAsync(), "Bob/1.0");
        var eve = await SignedInBrowserAsync(await NewUserAsync(), "Eve/1.0");
        var bobs = (await bob.GetFromJsonAsync<List<UserSessionView>>("/api/v1/me/sessions"))!.Single();

        Assert.DoesNotContain((await eve.GetFromJsonAsync<List<UserSessionView>>("/api/v1/me/sessions"))!, s => s.Id == bobs.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.SendAsync(SameSite(HttpMethod.Delete, $"/api/v1/me/sessions/{bobs.Id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_admins_sign_out_everywhere_ends_every_browser_session_of_the_user()
    {
        var user = await NewUserAsync();
        var first = await SignedInBrowserAsync(user, "A/1");
        var second = await SignedInBrowserAsync(user, "B/1");
        Assert.Equal(2, (await first.GetFromJsonAsync<List<UserSessionView>>("/api/v1/me/sessions"))!.Count);
        var id = _ids[user];

        (await Admin.PostAsync($"/api/v1/admin/users/{id}/sign-out", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Identitys_minute_stamp_check_keeps_the_session_in_the_principal_it_rebuilds()
    {
        // Without this the rebuilt cookie would carry no session, and the next request would be refused.
        var options = app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var session = Guid.NewGuid().ToString();
        var current = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u1"), new Claim(Domain.Common.Actor.SessionClaim, session)], "Identity.Application"));
        var rebuilt = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u1")], "Identity.Application"));

        await options.OnRefreshingPrincipal!(new SecurityStampRefreshingPrincipalContext { CurrentPrincipal = current, NewPrincipal = rebuilt });

        Assert.Equal(session, rebuilt.FindFirst(Domain.Common.Actor.SessionClaim)?.Value);
    }

    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    private async Task<string> NewUserAsync()
    {
        var name = $"s-{Guid.NewGuid():N}"[..12];
        var created = await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password,
            [ControlPlaneRoles.DataScientist]));
        created.EnsureSuccessStatusCode();
        _ids[name] = (await created.Content.ReadFromJsonAsync<UserSummary>())!.Id;
        return name;
    }

    private static HttpRequestMessage SameSite(HttpMethod method, string url) => new(method, url) { Headers = { { "Sec-Fetch-Site", "same-origin" } } };

    /// <summary>A client that signed in through the login form, as a browser does, and now holds the auth cookie.</summary>
    private async Task<HttpClient> SignedInBrowserAsync(string userName, string userAgent)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var page = await browser.GetStringAsync("/account/login");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value,
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
